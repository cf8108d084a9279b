import { existsSync, readFileSync } from 'node:fs';
import express, { Router } from 'express';
import { execute, getVariableValues, GraphQLError, parse, validate, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { adminRootValue } from './admin-resolvers.js';
import { missingScopes, adminSchema, scopeRequirements, type AdminSchema } from './shopify-schema.js';
import { queryCost, selectedOperation, SINGLE_QUERY_MAX_COST } from './query-cost.js';
import { BUCKET_MAXIMUM, BUCKET_RESTORE_PER_SECOND, defaultStaff, newAccessToken, type DevShop } from './state.js';
import { verifySessionToken } from './session-token.js';
import type { WebhookEvent } from './webhooks.js';

const ONLINE_TOKEN_TYPE = 'urn:shopify:params:oauth:token-type:online-access-token';
/** An online token lives as long as the staff member's admin session: Shopify answers a day less a second. */
const ONLINE_TOKEN_SECONDS = 86_399;

/** Shopify: "Input arguments that accept an array have a maximum size of 250". */
const MAX_INPUT_ARRAY = 250;

interface ShopifyError {
  message: string;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  path?: ReadonlyArray<string | number>;
  extensions: Record<string, unknown> & { code: string };
}

/**
 * graphql-js validation messages in the words and codes of Shopify's GraphQL server
 * (graphql-ruby), for the mistakes an app makes: unknown fields and arguments, missing arguments,
 * variable misuse, selections on leaves.
 */
const VALIDATION_WORDING: Array<[RegExp, (match: RegExpExecArray) => { message: string; extensions: ShopifyError['extensions'] }]> = [
  [
    /^Cannot query field "(\w+)" on type "(\w+)"/,
    (m) => ({ message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`, extensions: { code: 'undefinedField', typeName: m[2], fieldName: m[1] } }),
  ],
  [
    /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"/,
    (m) => ({
      message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
      extensions: { code: 'argumentNotAccepted', name: m[3], typeName: 'Field', argumentName: m[1] },
    }),
  ],
  [
    /^Field "(\w+)" argument "(\w+)" of type "(.+)" is required/,
    (m) => ({
      message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
      extensions: { code: 'missingRequiredArguments', className: 'Field', name: m[1], arguments: m[2] },
    }),
  ],
  [/^Unknown type "(\w+)"/, (m) => ({ message: `${m[1]} isn't a defined input type`, extensions: { code: 'undefinedType', typeName: m[1] } })],
  [
    /^Variable "\$(\w+)" is never used/,
    (m) => ({ message: `Variable $${m[1]} is declared but not used`, extensions: { code: 'variableNotUsed', variableName: m[1] } }),
  ],
  [
    /^Variable "\$(\w+)" is not defined/,
    (m) => ({ message: `Variable $${m[1]} is used but not declared`, extensions: { code: 'variableNotDefined', variableName: m[1] } }),
  ],
  [
    /^Variable "\$(\w+)" of type "(.+)" used in position expecting type "(.+)"/,
    (m) => ({
      message: `Type mismatch on variable $${m[1]} and argument (${m[2]} / ${m[3]})`,
      extensions: { code: 'variableMismatch', variableName: m[1], typeName: m[2] },
    }),
  ],
  [
    /^Field "(\w+)" of type "(.+)" must have a selection of subfields/,
    (m) => ({
      message: `Field must have selections (field '${m[1]}' returns ${m[2]} but has no selections.)`,
      extensions: { code: 'selectionMismatch', nodeName: `field '${m[1]}'`, typeName: m[2] },
    }),
  ],
  [
    /^Field "(\w+)" must not have a selection since type "(.+)" has no subfields/,
    (m) => ({
      message: `Selections can't be made on scalars (field '${m[1]}' returns ${m[2]} but has selections)`,
      extensions: { code: 'selectionMismatch', nodeName: `field '${m[1]}'`, typeName: m[2] },
    }),
  ],
];

function shopifyValidationError(error: GraphQLError): ShopifyError {
  for (const [pattern, word] of VALIDATION_WORDING) {
    const match = pattern.exec(error.message);
    if (match) return { ...word(match), locations: error.locations };
  }
  return { message: error.message, locations: error.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
}

/** The scopes Shopify grants the app: those its configuration (shopify.app.toml) requests. */
function configuredScopes(): string[] {
  const toml = new URL('../shopify.app.toml', import.meta.url);
  if (!existsSync(toml)) return [];
  const match = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(readFileSync(toml, 'utf8'));
  return (match?.[1] ?? '')
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
}

function longestArray(value: unknown): number {
  if (Array.isArray(value)) return Math.max(value.length, ...value.map(longestArray));
  if (typeof value === 'object' && value !== null) return Math.max(0, ...Object.values(value).map(longestArray));
  return 0;
}

function schemaFor(version: string): AdminSchema | undefined {
  try {
    return adminSchema(version);
  } catch {
    return undefined;
  }
}

export interface AdminApiOptions {
  apiKey: string;
  apiSecret: string;
  clock: () => Date;
  shop: (domain: string) => DevShop | undefined;
  /** The scopes granted at token exchange and enforced per field; shopify.app.toml's by default. */
  scopes?: string[];
  /** Delivers a webhook a mutation causes (customerCreate's customers/create). */
  announce?: (event: WebhookEvent) => void;
}

/**
 * Token exchange and Admin GraphQL for the devstore's shops. Each operation runs with graphql-js
 * against Shopify's published schema of the requested API version: what Shopify would refuse
 * (unknown fields, bad variables, missing scopes, too costly) is refused in Shopify's words, and
 * every answer carries Shopify's calculated cost and the shop's leaky bucket.
 */
export function adminApiRouter(options: AdminApiOptions): Router {
  const router = Router({ mergeParams: true });
  const scopes = options.scopes ?? configuredScopes();
  router.use(express.json({ limit: '1mb' }), express.urlencoded({ extended: false }));

  router.post('/admin/oauth/access_token', (req, res) => {
    const shop = options.shop(String((req.params as Record<string, string>).shop));
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!shop) {
      res.status(404).json({ errors: 'Not Found' });
      return;
    }
    if (body.client_id !== options.apiKey || body.client_secret !== options.apiSecret) {
      res.status(401).json({ error: 'invalid_client', error_description: 'Client credentials are invalid' });
      return;
    }
    if (
      body.grant_type !== 'urn:ietf:params:oauth:grant-type:token-exchange' ||
      body.subject_token_type !== 'urn:ietf:params:oauth:token-type:id_token'
    ) {
      res.status(400).json({ error: 'invalid_request', error_description: 'Unsupported grant or subject token type' });
      return;
    }
    // Session tokens carry wall-clock times, checked against Shopify's own clock, not a test's.
    const claims = typeof body.subject_token === 'string' ? verifySessionToken(body.subject_token, options.apiSecret, new Date()) : undefined;
    if (!claims || claims.dest !== `https://${shop.domain}` || claims.aud !== options.apiKey) {
      res.status(400).json({ error: 'invalid_subject_token', error_description: 'Session token is invalid' });
      return;
    }
    const token = newAccessToken();
    if (body.requested_token_type === ONLINE_TOKEN_TYPE) {
      const staff = (shop.staff ?? defaultStaff(shop.domain)).get(String(claims.sub));
      if (!staff) {
        res.status(400).json({ error: 'invalid_subject_token', error_description: 'Session token is invalid' });
        return;
      }
      shop.accessTokens.set(token, `online:${staff.id}`);
      res.json({
        access_token: token,
        scope: scopes.join(','),
        expires_in: ONLINE_TOKEN_SECONDS,
        associated_user_scope: scopes.join(','),
        associated_user: {
          id: staff.id,
          first_name: staff.firstName,
          last_name: staff.lastName,
          email: staff.email,
          email_verified: true,
          account_owner: staff.accountOwner,
          locale: staff.locale,
          collaborator: false,
        },
      });
      return;
    }
    shop.accessTokens.set(token, 'offline');
    shop.appInstalled = true;
    res.json({ access_token: token, scope: scopes.join(',') });
  });

  router.post('/admin/api/:version/graphql.json', async (req, res) => {
    const params = req.params as Record<string, string>;
    const shop = options.shop(String(params.shop));
    const token = req.headers['x-shopify-access-token'];
    if (!shop || typeof token !== 'string' || !shop.accessTokens.has(token)) {
      res.status(401).json({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      return;
    }
    const admin = schemaFor(String(params.version));
    if (!admin) {
      res.status(404).json({ errors: 'Not Found' });
      return;
    }
    const fault = shop.faults.shift();
    if (fault === '5xx') {
      res.status(502).json({ errors: 'Bad Gateway' });
      return;
    }
    const { query, variables, operationName } = (req.body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
    if (typeof query !== 'string') {
      res.status(400).json({ errors: { query: 'Required parameter missing or invalid' } });
      return;
    }
    const refuse = (errors: ShopifyError[], extensions?: object) => res.json({ errors, ...(extensions ? { extensions } : {}) });

    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      const syntax = error as GraphQLError;
      refuse([{ message: syntax.message, locations: syntax.locations, extensions: { code: 'parseError' } }]);
      return;
    }
    const invalid = validate(admin.schema, document);
    if (invalid.length > 0) {
      refuse(invalid.map(shopifyValidationError));
      return;
    }
    const name = typeof operationName === 'string' ? operationName : undefined;
    const operation: OperationDefinitionNode | undefined = selectedOperation(document, name);
    if (!operation) {
      refuse([{ message: name ? `No operation named "${name}"` : 'An operation name is required', extensions: { code: 'OPERATION_NOT_FOUND' } }]);
      return;
    }
    const given = typeof variables === 'object' && variables !== null ? (variables as Record<string, unknown>) : {};
    const coerced = getVariableValues(admin.schema, operation.variableDefinitions ?? [], given, { maxErrors: 25 });
    if (coerced.errors) {
      refuse(coerced.errors.map((error) => ({ message: error.message, locations: error.locations, extensions: { code: 'INVALID_VARIABLE' } })));
      return;
    }
    const longest = longestArray(coerced.coerced);
    if (longest > MAX_INPUT_ARRAY) {
      refuse([
        {
          message: `The input array size of ${longest} is greater than the maximum allowed of ${MAX_INPUT_ARRAY}.`,
          extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' },
        },
      ]);
      return;
    }
    const denied = missingScopes(scopeRequirements(admin, document), scopes);
    if (denied.length > 0) {
      refuse(
        denied.map((requirement) => ({
          message: `Access denied for ${requirement.subject}. Required access: ${requirement.text}`,
          extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess: requirement.text },
        })),
      );
      return;
    }

    const requested = queryCost({ schema: admin.schema, document, variables: coerced.coerced, operationName: name });
    const now = options.clock();
    const elapsed = Math.max(0, (now.getTime() - shop.bucket.updatedAt) / 1000);
    shop.bucket.available = Math.min(BUCKET_MAXIMUM, shop.bucket.available + elapsed * BUCKET_RESTORE_PER_SECOND);
    shop.bucket.updatedAt = now.getTime();
    const cost = (actual: number | null) => ({
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: actual,
        throttleStatus: {
          maximumAvailable: BUCKET_MAXIMUM,
          currentlyAvailable: Math.floor(shop.bucket.available),
          restoreRate: BUCKET_RESTORE_PER_SECOND,
        },
      },
    });
    if (requested > SINGLE_QUERY_MAX_COST) {
      refuse(
        [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).`,
            extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: SINGLE_QUERY_MAX_COST },
          },
        ],
        cost(null),
      );
      return;
    }
    if (fault === 'throttled' || shop.bucket.available < requested) {
      refuse([{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }], cost(null));
      return;
    }
    // Shopify takes the requested cost up front and refunds what the answer did not use.
    shop.bucket.available -= requested;
    const result = await execute({
      schema: admin.schema,
      document,
      operationName: name,
      variableValues: given,
      rootValue: adminRootValue(shop, {
        now,
        injectUserError: fault === 'userErrors' && operation.operation === 'mutation',
        announce: options.announce,
      }),
    });
    const actual = result.data
      ? queryCost({ schema: admin.schema, document, variables: coerced.coerced, operationName: name, data: result.data })
      : requested;
    shop.bucket.available = Math.min(BUCKET_MAXIMUM, shop.bucket.available + (requested - actual));
    res.json({ ...result, extensions: cost(actual) });
  });
  return router;
}
