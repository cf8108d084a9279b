import { getVariableValues, NoDeprecatedCustomRule, parse, specifiedRules, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { adminSchema } from '../../devstore/shopify-schema.js';
import {
  badgesReached,
  birthdayMonth,
  donationMoney,
  inChallenge,
  npsOf,
  parseBirthday,
  surveyPeriod,
  transferRefusal,
} from '../../server/engagement/index.js';
import { defaultEngagementSettings, defaultProgram, validateProgram } from '../../server/program/index.js';
import { REFERRAL_DISCOUNT_CREATE } from '../../server/shopify/operations.js';
import { referralCodeOf, referralDiscountInput, samePerson } from '../../server/referrals/index.js';
import { ADMIN_API_VERSION } from '../../server/shopify/shop-domain.js';

describe('engagement rules (no database)', () => {
  it('scores NPS as promoters less detractors in percent, with passives apart', () => {
    expect(npsOf([10, 9, 8, 7, 6, 0])).toEqual({ score: 0, responses: 6, promoters: 2, passives: 2, detractors: 2 });
    expect(npsOf([10, 10, 3])).toMatchObject({ score: 33 });
    expect(npsOf([])).toMatchObject({ score: 0, responses: 0 });
    expect(npsOf([0, 1])).toMatchObject({ score: -100 });
  });

  it('names survey periods by their first day, so answers on either side of a boundary fall in different periods', () => {
    expect(surveyPeriod(new Date('2026-03-10T12:00:00Z'), 1)).toBe('2026-03-10');
    const period = surveyPeriod(new Date('2026-03-10T12:00:00Z'), 90);
    expect(surveyPeriod(new Date(Date.parse(`${period}T00:00:00Z`) + 89 * 86_400_000), 90)).toBe(period);
    expect(surveyPeriod(new Date(Date.parse(`${period}T00:00:00Z`) + 90 * 86_400_000), 90)).not.toBe(period);
  });

  it('reads birthdays as MM-DD with or without a year, refusing impossible dates; credits in the birthday month', () => {
    expect(parseBirthday('1990-02-29')).toBe('02-29');
    expect(parseBirthday('12-31')).toBe('12-31');
    expect(parseBirthday('02-30')).toBeNull();
    expect(parseBirthday('13-01')).toBeNull();
    expect(birthdayMonth('03-15', new Date('2026-03-01T00:00:00Z'))).toEqual({ inMonth: true, year: '2026' });
    expect(birthdayMonth('03-15', new Date('2026-04-01T00:00:00Z')).inMonth).toBe(false);
  });

  it('applies the merchant transfer limits in order', () => {
    const limits = { enabled: true, minPoints: 10, maxPerTransfer: 100, maxPerMonth: 150 };
    const ask = (points: number, sentThisMonth = 0, to = 'b') =>
      transferRefusal(limits, { fromCustomerId: 'a', toCustomerId: to, points, sentThisMonth });
    expect(ask(50)).toBeNull();
    expect(ask(50, 0, 'a')).toBe('self_transfer');
    expect(ask(9)).toBe('below_minimum');
    expect(ask(101)).toBe('above_maximum');
    expect(ask(100, 50)).toBeNull();
    expect(ask(100, 51)).toBe('monthly_limit');
    expect(transferRefusal({ ...limits, enabled: false }, { fromCustomerId: 'a', toCustomerId: 'b', points: 50, sentThisMonth: 0 })).toBe(
      'transfers_off',
    );
  });

  it('converts donated points to money at the cause rate, rounding down', () => {
    expect(donationMoney(1500, 250)).toBe(375);
    expect(donationMoney(3, 333)).toBe(0);
    expect(donationMoney(1_000_000_000, 1000)).toBe(1_000_000_000);
  });

  it('reaches badges by milestone counts and counts challenge orders inside the window only', () => {
    const badges = defaultEngagementSettings().badges;
    expect(badgesReached(badges, { orders: 1, reviews: 0, referrals: 0 }).map((badge) => badge.id)).toEqual(['first-order']);
    expect(badgesReached(badges, { orders: 5, reviews: 1, referrals: 1 }).map((badge) => badge.id)).toEqual([
      'first-order',
      'five-orders',
      'reviewer',
      'ambassador',
    ]);
    const march = {
      id: 'march',
      name: '3 orders in March',
      orders: 3,
      points: 200,
      startsAt: '2026-03-01T00:00:00.000Z',
      endsAt: '2026-04-01T00:00:00.000Z',
    };
    expect(inChallenge(march, new Date('2026-03-31T23:59:59Z'))).toBe(true);
    expect(inChallenge(march, new Date('2026-04-01T00:00:00Z'))).toBe(false);
  });

  it('a program stored without the engagement fields validates with defaults; bad values name their field', () => {
    const { referrals: _r, actions: _a, surveys: _s, badges: _b, challenges: _c, causes: _ca, transfers: _t, ...older } = defaultProgram('USD');
    const validated = validateProgram(older);
    expect(validated.ok && validated.program.transfers).toEqual(defaultEngagementSettings().transfers);
    const invalid = validateProgram({
      ...defaultProgram('USD'),
      challenges: [{ id: 'x', name: 'X', orders: 3, points: 1, startsAt: '2026-04-01T00:00:00Z', endsAt: '2026-03-01T00:00:00Z' }],
    });
    expect(invalid.ok ? {} : invalid.errors).toHaveProperty(['challenges.0.endsAt']);
  });
});

describe('referral rules', () => {
  it('finds the code in the cart attribute first, else in a discount code that is a referral code', () => {
    const known = (code: string) => code === 'REF-AAAA2222';
    expect(referralCodeOf({ noteAttributes: [{ name: 'tally_referral', value: 'ref-aaaa2222' }], discountCodes: [] }, known)).toEqual({
      code: 'REF-AAAA2222',
      via: 'attribute',
    });
    expect(referralCodeOf({ noteAttributes: [], discountCodes: ['SUMMER', 'ref-aaaa2222'] }, known)).toEqual({
      code: 'REF-AAAA2222',
      via: 'discount',
    });
    expect(referralCodeOf({ noteAttributes: [], discountCodes: ['SUMMER'] }, known)).toBeNull();
  });

  it('sees the same person behind one mailbox or one address', () => {
    const referrer = { email: 'Jane.Doe+shop@Example.com', addresses: [{ address1: '1 High St.', zip: 'AB1 2CD', country_code: 'GB' }] };
    expect(samePerson(referrer, { email: 'janedoe@example.com', addresses: [] })).toBe('same_email');
    expect(samePerson(referrer, { email: 'other@example.com', addresses: [{ address1: '1 high st', zip: 'ab12cd', country_code: 'gb' }] })).toBe(
      'same_address',
    );
    expect(
      samePerson(referrer, { email: 'other@example.com', addresses: [{ address1: '2 High St', zip: 'AB1 2CD', country_code: 'GB' }] }),
    ).toBeNull();
  });

  it("the friend discount operation and its input validate against Shopify's 2026-10 Admin schema", () => {
    const { schema } = adminSchema(ADMIN_API_VERSION);
    const document = parse(REFERRAL_DISCOUNT_CREATE);
    expect(
      [...validate(schema, document, specifiedRules), ...validate(schema, document, [NoDeprecatedCustomRule])].map((error) => error.message),
    ).toEqual([]);
    const input = referralDiscountInput({
      shop: 's.myshopify.com',
      code: 'REF-AAAA2222',
      kind: 'amount_off',
      value: 500,
      currency: 'USD',
      startsAt: new Date('2026-01-01T00:00:00Z'),
      segmentId: 'gid://shopify/Segment/42',
    });
    const operation = document.definitions[0] as OperationDefinitionNode;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], { basicCodeDiscount: input });
    expect(coerced.errors?.map((error) => error.message) ?? []).toEqual([]);
    expect(getVariableValues(schema, operation.variableDefinitions ?? [], { basicCodeDiscount: { ...input, firstOrderOnly: true } })).toHaveProperty(
      'errors',
    );
    expect(input).toMatchObject({
      appliesOncePerCustomer: true,
      context: { customerSegments: { add: ['gid://shopify/Segment/42'] } },
      customerGets: { value: { discountAmount: { amount: '5.00' } } },
    });
  });
});
