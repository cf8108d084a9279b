import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  buildClientSchema,
  coerceInputValue,
  executeSync,
  isEnumType,
  isInputObjectType,
  parse,
  printSchema,
  validate,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { cartLinesDiscountsGenerateRun as indexExport } from '../../extensions/tally-discount/src/index.js';
import { currencyDecimals } from '../../extensions/tally-discount/src/money.js';
import { cartLinesDiscountsGenerateRun, type CartInput, type CartLinesDiscountsGenerateRunResult } from '../../extensions/tally-discount/src/run.js';
import { currencyDecimals as serverCurrencyDecimals } from '../../server/platform/money.js';

const extension = path.resolve('extensions/tally-discount');
const queryPath = path.join(extension, 'src/cart_lines_discounts_generate_run.graphql');

/** Shopify's published Discount Function API 2026-10, as npm @shopify/dev-mcp ships it. */
function publishedSchema(): GraphQLSchema {
  const file = path.resolve('node_modules/@shopify/dev-mcp/dist/data/functions_discount_2026-10.json.gz');
  const introspection = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { data: IntrospectionQuery };
  return buildClientSchema(introspection.data);
}

const schema = publishedSchema();
const inputQuery = parse(readFileSync(queryPath, 'utf8'));

function resultErrors(result: unknown): string[] {
  const type = schema.getType('CartLinesDiscountsGenerateRunResult');
  if (!isInputObjectType(type)) throw new Error('the schema has no CartLinesDiscountsGenerateRunResult input type');
  const errors: string[] = [];
  coerceInputValue(result, type, (at, _value, error) => errors.push(`${at.join('.')}: ${error.message}`));
  return errors;
}

interface Line {
  id: string;
  amount: string;
  giftCard?: boolean;
}

interface World {
  holdAttribute?: string;
  /** undefined: a guest; otherwise the holds metafield's value, or null when the customer has none. */
  holds?: string | null;
  currency?: string;
  rate?: string;
  date?: string;
  discountClasses?: string[];
  lines?: Line[];
}

const HOLD = { id: 'hold-1', points: 500, amount: '5.00', currencyCode: 'USD', expiresAt: '2026-12-01T12:30:00Z' };
const holdsValue = (...holds: object[]) => JSON.stringify({ holds });

/** Adds decimal strings written with the same number of decimals, exactly. */
function sumAmounts(amounts: string[]): string {
  const scale = amounts[0]?.split('.')[1]?.length ?? 0;
  const digits = amounts
    .reduce((sum, amount) => sum + BigInt(amount.replace('.', '')), 0n)
    .toString()
    .padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function money(amount: string, currencyCode: string) {
  return { amount, currencyCode };
}

/**
 * The function's input as Shopify builds it: the extension's own input query executed against the
 * published schema over a cart, so a field the logic reads but the query does not select is missing
 * here too. Fields with arguments answer only the attribute and metafield the app owns.
 */
function inputFor(world: World): CartInput {
  const currency = world.currency ?? 'USD';
  const lines = world.lines ?? [
    { id: 'gid://shopify/CartLine/1', amount: '30.00' },
    { id: 'gid://shopify/CartLine/2', amount: '12.50' },
  ];
  const subtotal = sumAmounts(lines.map((line) => line.amount));
  const customer =
    world.holds === undefined
      ? null
      : {
          id: 'gid://shopify/Customer/7',
          metafield: ({ namespace, key }: { namespace?: string; key: string }) =>
            namespace === '$app:tally' && key === 'holds' && world.holds !== null ? { type: 'json', value: world.holds, jsonValue: null } : null,
        };
  const root = {
    cart: {
      attribute: ({ key }: { key?: string }) =>
        key === '_tally_hold' && world.holdAttribute !== undefined ? { key, value: world.holdAttribute } : null,
      buyerIdentity: { isAuthenticated: customer !== null, customer },
      cost: { subtotalAmount: money(subtotal, currency), totalAmount: money(subtotal, currency) },
      lines: lines.map((line) => ({
        id: line.id,
        quantity: 1,
        cost: {
          subtotalAmount: money(line.amount, currency),
          totalAmount: money(line.amount, currency),
          amountPerQuantity: money(line.amount, currency),
        },
        merchandise: { __typename: 'ProductVariant', id: `${line.id}/variant`, product: { isGiftCard: line.giftCard ?? false } },
      })),
    },
    discount: { discountClasses: world.discountClasses ?? ['ORDER'] },
    presentmentCurrencyRate: world.rate ?? '1.0',
    shop: { localTime: { date: world.date ?? '2026-12-01' } },
  };
  const result = executeSync({ schema, document: inputQuery, rootValue: root });
  if (result.errors?.length) throw new Error(result.errors.map((error) => error.message).join('; '));
  return result.data as unknown as CartInput;
}

/** Runs the function and holds every answer to the schema's result type. */
function run(world: World): CartLinesDiscountsGenerateRunResult {
  const result = cartLinesDiscountsGenerateRun(inputFor(world));
  expect(resultErrors(result)).toEqual([]);
  return result;
}

function orderDiscount(amount: string, points = 500, excludedCartLineIds: string[] = []): CartLinesDiscountsGenerateRunResult {
  return {
    operations: [
      {
        orderDiscountsAdd: {
          selectionStrategy: 'FIRST',
          candidates: [
            { message: `${points} points redeemed`, targets: [{ orderSubtotal: { excludedCartLineIds } }], value: { fixedAmount: { amount } } },
          ],
        },
      },
    ],
  };
}

const NONE: CartLinesDiscountsGenerateRunResult = { operations: [] };

describe('tally-discount against Shopify’s published Discount Function API 2026-10', () => {
  it('has an input query that validates against the schema', () => {
    expect(validate(schema, inputQuery).map((error) => error.message)).toEqual([]);
  });

  it('would reject an input query naming a field the schema lacks', () => {
    const broken = parse(readFileSync(queryPath, 'utf8').replace('presentmentCurrencyRate', 'presentmentCurrencyRatio'));
    expect(validate(schema, broken).map((error) => error.message)).toEqual([
      'Cannot query field "presentmentCurrencyRatio" on type "Input". Did you mean "presentmentCurrencyRate"?',
    ]);
  });

  it('would reject a result the schema does not accept', () => {
    const wrong = {
      operations: [
        {
          orderDiscountsAdd: {
            selectionStrategy: 'BIGGEST',
            candidates: [{ targets: [{ orderSubtotal: {} }], value: { fixedAmount: { amount: '5.00' } } }],
          },
        },
      ],
    };
    expect(resultErrors(wrong)).toEqual([
      'operations.0.orderDiscountsAdd.selectionStrategy: Value "BIGGEST" does not exist in "OrderDiscountSelectionStrategy" enum.',
      'operations.0.orderDiscountsAdd.candidates.0.targets.0.orderSubtotal: Field "excludedCartLineIds" of required type "[ID!]!" was not provided.',
    ]);
  });

  it('keeps schema.graphql (what Shopify CLI typegen reads) identical to the published schema', () => {
    expect(readFileSync(path.join(extension, 'schema.graphql'), 'utf8')).toBe(`${printSchema(schema)}\n`);
  });

  it('declares the 2026-10 run target with its input query and an export the entry point provides', () => {
    const toml = readFileSync(path.join(extension, 'shopify.extension.toml'), 'utf8');
    expect(toml).toMatch(/^api_version = "2026-10"$/m);
    expect(toml).toMatch(/^handle = "tally-discount"$/m);
    expect(toml).toMatch(/^type = "function"$/m);
    expect(toml).toMatch(
      /target = "cart\.lines\.discounts\.generate\.run"\n\s*input_query = "src\/cart_lines_discounts_generate_run\.graphql"\n\s*export = "cart-lines-discounts-generate-run"/,
    );
    expect(indexExport).toBe(cartLinesDiscountsGenerateRun);
  });

  it('uses the same currency decimals as the server for every currency the schema knows', () => {
    const currencies = schema.getType('CurrencyCode');
    const codes = isEnumType(currencies) ? currencies.getValues().map((value) => value.name) : [];
    expect(codes.length).toBeGreaterThan(100);
    expect(codes.filter((code) => currencyDecimals(code) !== serverCurrencyDecimals(code))).toEqual([]);
  });
});

describe('redeeming a points hold at checkout', () => {
  it('takes a live hold’s amount off the order subtotal', () => {
    expect(run({ holdAttribute: 'hold-1', holds: holdsValue(HOLD) })).toEqual(orderDiscount('5.00'));
  });

  it('titles the discount with the program’s points name, and "points" when the name is missing or malformed', () => {
    const titled = (pointsName: unknown) => {
      const result = run({ holdAttribute: 'hold-1', holds: JSON.stringify({ pointsName, holds: [HOLD] }) });
      return (result.operations[0] as { orderDiscountsAdd: { candidates: Array<{ message: string }> } }).orderDiscountsAdd.candidates[0]!.message;
    };
    expect(titled('Beans')).toBe('500 Beans redeemed');
    for (const malformed of [undefined, '', '   ', 42, 'x'.repeat(41)]) expect(titled(malformed), String(malformed)).toBe('500 points redeemed');
  });

  it('finds the named hold among several', () => {
    const other = { ...HOLD, id: 'hold-2', points: 1_200, amount: '12.00' };
    expect(run({ holdAttribute: 'hold-2', holds: holdsValue(HOLD, other) })).toEqual(orderDiscount('12.00', 1_200));
  });

  it('caps the discount at the eligible subtotal', () => {
    const large = { ...HOLD, points: 5_000, amount: '50.00' };
    expect(run({ holdAttribute: 'hold-1', holds: holdsValue(large) })).toEqual(orderDiscount('42.50', 5_000));
  });

  it('leaves gift cards out of the discount and out of the subtotal it is capped at', () => {
    const lines = [
      { id: 'gid://shopify/CartLine/1', amount: '50.00', giftCard: true },
      { id: 'gid://shopify/CartLine/2', amount: '3.00' },
    ];
    expect(run({ holdAttribute: 'hold-1', holds: holdsValue(HOLD), lines })).toEqual(orderDiscount('3.00', 500, ['gid://shopify/CartLine/1']));
  });

  it('gives nothing for a cart of gift cards only', () => {
    expect(
      run({ holdAttribute: 'hold-1', holds: holdsValue(HOLD), lines: [{ id: 'gid://shopify/CartLine/1', amount: '25.00', giftCard: true }] }),
    ).toEqual(NONE);
  });

  it('converts the amount into the cart’s currency at the presentment rate, rounding down', () => {
    const lines = [{ id: 'gid://shopify/CartLine/1', amount: '40.00' }];
    expect(run({ holdAttribute: 'hold-1', holds: holdsValue(HOLD), currency: 'EUR', rate: '0.9234', lines })).toEqual(orderDiscount('4.61'));
  });

  it('converts into a currency without minor units', () => {
    const lines = [{ id: 'gid://shopify/CartLine/1', amount: '6000' }];
    expect(run({ holdAttribute: 'hold-1', holds: holdsValue(HOLD), currency: 'JPY', rate: '151.37', lines })).toEqual(orderDiscount('756'));
  });

  it('converts into a currency with three decimals', () => {
    const lines = [{ id: 'gid://shopify/CartLine/1', amount: '10.000' }];
    expect(run({ holdAttribute: 'hold-1', holds: holdsValue(HOLD), currency: 'KWD', rate: '0.30712', lines })).toEqual(orderDiscount('1.535'));
  });

  it('gives nothing when the presentment rate is not a positive decimal', () => {
    expect(run({ holdAttribute: 'hold-1', holds: holdsValue(HOLD), currency: 'EUR', rate: '0' })).toEqual(NONE);
  });

  it('gives nothing for a hold certainly expired by the shop’s date', () => {
    expect(run({ holdAttribute: 'hold-1', holds: holdsValue(HOLD), date: '2026-12-03' })).toEqual(NONE);
  });

  it('judges expiry from the earliest instant the shop’s date can begin (midnight at UTC+14)', () => {
    const date = '2026-12-02';
    const endedAtEarliestStart = { ...HOLD, expiresAt: '2026-12-01T10:00:00Z' };
    const endsOneSecondLater = { ...HOLD, expiresAt: '2026-12-01T10:00:01Z' };
    expect(run({ holdAttribute: 'hold-1', holds: holdsValue(endedAtEarliestStart), date })).toEqual(NONE);
    expect(run({ holdAttribute: 'hold-1', holds: holdsValue(endsOneSecondLater), date })).toEqual(orderDiscount('5.00'));
  });

  it('gives nothing when the attribute names a hold that is not in the buyer’s metafield', () => {
    expect(run({ holdAttribute: 'someone-elses-hold', holds: holdsValue(HOLD) })).toEqual(NONE);
  });

  it('gives nothing without the cart attribute', () => {
    expect(run({ holds: holdsValue(HOLD) })).toEqual(NONE);
    expect(run({ holdAttribute: '', holds: holdsValue(HOLD) })).toEqual(NONE);
  });

  it('gives nothing to a guest', () => {
    expect(run({ holdAttribute: 'hold-1' })).toEqual(NONE);
  });

  it('gives nothing to a customer without the metafield', () => {
    expect(run({ holdAttribute: 'hold-1', holds: null })).toEqual(NONE);
  });

  it.each([
    ['text that is not JSON', '{"holds": [{"id": "hold-1"'],
    ['JSON null', 'null'],
    ['holds that are not a list', '{"holds": {"hold-1": {}}}'],
    ['an amount with a comma', holdsValue({ ...HOLD, amount: '5,00' })],
    ['an amount finer than the currency', holdsValue({ ...HOLD, amount: '5.001' })],
    ['a numeric amount', holdsValue({ ...HOLD, amount: 5 })],
    ['negative points', holdsValue({ ...HOLD, points: -500 })],
    ['fractional points', holdsValue({ ...HOLD, points: 2.5 })],
    ['an expiry that is not a date', holdsValue({ ...HOLD, expiresAt: 'tomorrow' })],
    ['a lowercase currency', holdsValue({ ...HOLD, currencyCode: 'usd' })],
  ])('gives nothing, without throwing, for a metafield with %s', (_case, holds) => {
    expect(run({ holdAttribute: 'hold-1', holds })).toEqual(NONE);
  });

  it('gives nothing when the discount does not carry the order class', () => {
    expect(run({ holdAttribute: 'hold-1', holds: holdsValue(HOLD), discountClasses: ['PRODUCT', 'SHIPPING'] })).toEqual(NONE);
  });
});
