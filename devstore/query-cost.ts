import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isListType,
  isObjectType,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** Shopify's documented single-query limit: a query whose requested cost is above it is refused. */
export const SINGLE_QUERY_MAX_COST = 1000;
/** Shopify: "Mutations: 10 points". */
export const MUTATION_COST = 10;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

type Data = Record<string, unknown>;

function isData(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function argument(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode, name: string): unknown {
  const definition = field.args.find((arg) => arg.name === name);
  const given = node.arguments?.find((arg) => arg.name.value === name);
  if (!definition || !given) return undefined;
  return valueFromAST(given.value, definition.type, walk.variables);
}

/**
 * The cost of a selection set on `type` under Shopify's calculated query cost: objects 1, scalars
 * and enums 0, an interface or union the largest of its possible selections. With `data` (the
 * answer) it is the actual cost: objects that came back null cost nothing and lists count what
 * they returned.
 */
function selectionCost(walk: Walk, type: GraphQLCompositeType, set: SelectionSetNode, data: Data | undefined): number {
  let direct = 0;
  let largestBranch = 0;
  for (const selection of set.selections) {
    if (selection.kind === 'Field') {
      if (isObjectType(type) || isAbstractType(type)) {
        const fields = 'getFields' in type ? type.getFields() : {};
        const field = fields[selection.name.value];
        if (field) direct += fieldCost(walk, field, selection, data);
      }
      continue;
    }
    const fragment = selection.kind === 'InlineFragment' ? selection : walk.fragments.get(selection.name.value);
    if (!fragment) continue;
    const conditionName = fragment.typeCondition?.name.value;
    const condition = conditionName ? walk.schema.getType(conditionName) : type;
    if (!condition || !isCompositeType(condition)) continue;
    const cost = selectionCost(walk, condition, fragment.selectionSet, data);
    // A fragment on the object itself always applies; on an abstract parent only one branch can.
    if (condition === type) direct += cost;
    else largestBranch = Math.max(largestBranch, cost);
  }
  return direct + largestBranch;
}

function fieldCost(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode, parentData: Data | undefined): number {
  const named = getNamedType(field.type);
  if (!node.selectionSet || !isCompositeType(named)) return 0;
  const value = parentData ? parentData[node.alias?.value ?? node.name.value] : undefined;
  const actual = parentData !== undefined;
  if (actual && (value === null || value === undefined)) return 0;

  if (named.name.endsWith('Connection') && field.args.some((arg) => arg.name === 'first')) {
    return connectionCost(walk, field, node, isData(value) ? value : undefined, actual);
  }
  if (isListType(getNullableType(field.type))) {
    if (actual) {
      const items = Array.isArray(value) ? value : [];
      return items.reduce<number>((sum, item) => sum + (isData(item) ? 1 + selectionCost(walk, named, node.selectionSet!, item) : 0), 0);
    }
    const ids = argument(walk, field, node, 'ids');
    const size = Array.isArray(ids) ? ids.length : 1;
    return size * (1 + selectionCost(walk, named, node.selectionSet, undefined));
  }
  return 1 + selectionCost(walk, named, node.selectionSet, actual && isData(value) ? value : undefined);
}

/** Shopify: a connection costs 2 plus, for each object it may return (`first` or `last`), that object's cost. */
function connectionCost(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode, data: Data | undefined, actual: boolean): number {
  const connectionType = getNamedType(field.type);
  if (!isObjectType(connectionType)) return 0;
  const connectionFields = connectionType.getFields();
  const first = argument(walk, field, node, 'first');
  const last = argument(walk, field, node, 'last');
  const requestedSize = Math.max(typeof first === 'number' ? first : 0, typeof last === 'number' ? last : 0);
  let largest = 0;
  for (const selection of node.selectionSet?.selections ?? []) {
    if (selection.kind !== 'Field') continue;
    const listed = connectionFields[selection.name.value];
    if (!listed || !selection.selectionSet) continue;
    const itemType = getNamedType(listed.type);
    if (!isCompositeType(itemType)) continue;
    let itemSet: SelectionSetNode | undefined = selection.selectionSet;
    let itemNodeType: GraphQLCompositeType = itemType;
    let unwrapEdge = false;
    if (selection.name.value === 'edges' && isObjectType(itemType)) {
      const nodeSelection = selection.selectionSet.selections.find(
        (inner): inner is FieldNode => inner.kind === 'Field' && inner.name.value === 'node',
      );
      const nodeField = itemType.getFields().node;
      const nodeType = nodeField ? getNamedType(nodeField.type) : undefined;
      if (!nodeSelection?.selectionSet || !nodeType || !isCompositeType(nodeType)) continue;
      itemSet = nodeSelection.selectionSet;
      itemNodeType = nodeType;
      unwrapEdge = true;
    } else if (selection.name.value !== 'nodes') {
      continue;
    }
    const key = selection.alias?.value ?? selection.name.value;
    let cost: number;
    if (actual) {
      const items = data && Array.isArray(data[key]) ? (data[key] as unknown[]) : [];
      cost = items.reduce<number>((sum, item) => {
        const object = unwrapEdge && isData(item) ? item.node : item;
        return sum + (isData(object) ? 1 + selectionCost(walk, itemNodeType, itemSet!, object) : 0);
      }, 0);
    } else {
      cost = requestedSize * (1 + selectionCost(walk, itemNodeType, itemSet, undefined));
    }
    largest = Math.max(largest, cost);
  }
  return 2 + largest;
}

export interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** The answer's `data`: given, the result is the actual cost; otherwise the requested cost. */
  data?: Record<string, unknown>;
}

export function selectedOperation(document: DocumentNode, operationName?: string): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition');
  return operationName
    ? operations.find((operation) => operation.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
}

/**
 * Shopify's calculated query cost of a document's operation, from its schema: the requested cost
 * (before running, sized by `first`/`last` and id lists) or, with `data`, the actual cost.
 * Lists that are neither connections nor sized by an `ids` argument count one element.
 */
export function queryCost(input: CostInput): number {
  const operation = selectedOperation(input.document, input.operationName);
  if (!operation) return 0;
  if (operation.operation === 'mutation') return MUTATION_COST;
  const root = input.schema.getQueryType();
  if (!root) return 0;
  const walk: Walk = {
    schema: input.schema,
    fragments: new Map(
      input.document.definitions
        .filter((definition): definition is FragmentDefinitionNode => definition.kind === 'FragmentDefinition')
        .map((definition) => [definition.name.value, definition]),
    ),
    variables: input.variables ?? {},
  };
  return selectionCost(walk, root, operation.selectionSet, input.data);
}
