import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  buildClientSchema,
  getNamedType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';

/** One access-scope requirement as Shopify's introspection states it for a type or a field. */
export interface ScopeRequirement {
  /** `Type` or `Type.field`. */
  subject: string;
  /** The scopes the introspection lists; any one of them satisfies the requirement unless `allOf`. */
  scopes: string[];
  /** Shopify's own wording (requiredAccess), kept for error messages. */
  text: string;
  /** The wording asks for several scopes together ("Also: Requires ...", "as well as", "and ("). */
  allOf: boolean;
}

export interface AdminSchema {
  version: string;
  schema: GraphQLSchema;
  /** Access-scope requirements by `Type` and `Type.field`, from the introspection's `offline_scopes`. */
  scopes: Map<string, ScopeRequirement>;
}

interface OfflineScopeItem {
  type: 'type' | 'field';
  typeName: string;
  fieldName?: string | null;
  requiredAccess: string;
  offlineScopes: string[];
}

interface PublishedIntrospection {
  data: IntrospectionQuery;
  offline_scopes?: { items: OfflineScopeItem[] };
}

const cache = new Map<string, AdminSchema>();

/** The package exports no package.json and only an ESM entry, so look it up along node's module paths. */
function dataDirectory(): string {
  const candidates = (createRequire(import.meta.url).resolve.paths('@shopify/dev-mcp') ?? []).map((modules) =>
    join(modules, '@shopify', 'dev-mcp', 'dist', 'data'),
  );
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error("@shopify/dev-mcp is not installed: it ships Shopify's Admin GraphQL schema (run npm install)");
  return found;
}

/**
 * Shopify's published Admin GraphQL schema for an API version, as `@shopify/dev-mcp` ships it
 * (`dist/data/admin_<version>.json.gz`: the introspection result plus the access scope of each type
 * and field). Built once per version and process.
 */
export function adminSchema(version: string): AdminSchema {
  const cached = cache.get(version);
  if (cached) return cached;
  const file = join(dataDirectory(), `admin_${version}.json.gz`);
  const published = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as PublishedIntrospection;
  const scopes = new Map<string, ScopeRequirement>();
  for (const item of published.offline_scopes?.items ?? []) {
    const required = [...new Set(item.offlineScopes)];
    if (required.length === 0) continue;
    const subject = item.type === 'field' && item.fieldName ? `${item.typeName}.${item.fieldName}` : item.typeName;
    scopes.set(subject, { subject, scopes: required, text: item.requiredAccess, allOf: /Also:|as well as|\band \(/.test(item.requiredAccess) });
  }
  const built: AdminSchema = { version, schema: buildClientSchema(published.data), scopes };
  cache.set(version, built);
  return built;
}

/** Every type and field requirement an operation touches: the fields it selects, their types and its fragments' types. */
export function scopeRequirements(admin: AdminSchema, document: DocumentNode): ScopeRequirement[] {
  const found = new Map<string, ScopeRequirement>();
  const note = (subject: string) => {
    const requirement = admin.scopes.get(subject);
    if (requirement) found.set(subject, requirement);
  };
  const typeInfo = new TypeInfo(admin.schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const type = typeInfo.getType();
        if (parent) note(`${parent.name}.${node.name.value}`);
        if (type) note(getNamedType(type).name);
      },
      InlineFragment(node) {
        if (node.typeCondition) note(node.typeCondition.name.value);
      },
      FragmentDefinition(node) {
        note(node.typeCondition.name.value);
      },
    }),
  );
  return [...found.values()];
}

/** Shopify: "any scope that writes a resource also grants read access to it". */
function grants(granted: ReadonlySet<string>, scope: string): boolean {
  return granted.has(scope) || (scope.startsWith('read_') && granted.has(`write_${scope.slice('read_'.length)}`));
}

/** The requirements the granted scopes do not satisfy. */
export function missingScopes(requirements: ScopeRequirement[], granted: Iterable<string>): ScopeRequirement[] {
  const set = new Set(granted);
  return requirements.filter((requirement) =>
    requirement.allOf ? !requirement.scopes.every((scope) => grants(set, scope)) : !requirement.scopes.some((scope) => grants(set, scope)),
  );
}
