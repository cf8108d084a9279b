import { describe, expect, it } from 'vitest';
import { currencyDecimals, formatAmount, InvalidAmount, mulDivFloor, parseAmount } from '../../server/platform/money.js';

describe('money', () => {
  it("reads Shopify decimal strings into integer minor units by the currency's decimals", () => {
    expect(parseAmount('42.50', 'USD')).toEqual({ amount: 4250, currency: 'USD' });
    expect(parseAmount('4250', 'JPY')).toEqual({ amount: 4250, currency: 'JPY' });
    expect(parseAmount('1.250', 'KWD')).toEqual({ amount: 1250, currency: 'KWD' });
    expect(parseAmount('0.1', 'EUR')).toEqual({ amount: 10, currency: 'EUR' });
    expect(parseAmount('19.990', 'USD').amount).toBe(1999);
  });

  it('refuses amounts with more decimals than the currency has, and non-numbers', () => {
    expect(() => parseAmount('1.5', 'JPY')).toThrow(InvalidAmount);
    expect(() => parseAmount('1.2345', 'KWD')).toThrow(InvalidAmount);
    expect(() => parseAmount('1e3', 'USD')).toThrow(InvalidAmount);
  });

  it("writes minor units back in the currency's decimals", () => {
    expect(formatAmount({ amount: 5, currency: 'USD' })).toBe('0.05');
    expect(formatAmount({ amount: 1500, currency: 'JPY' })).toBe('1500');
    expect(formatAmount({ amount: 1005, currency: 'KWD' })).toBe('1.005');
    expect(currencyDecimals('BHD')).toBe(3);
  });

  it('multiplies and divides in integers, rounding down, with no float drift', () => {
    expect(mulDivFloor(1999, 110, 10_000)).toBe(21);
    expect(mulDivFloor(Number.MAX_SAFE_INTEGER, 3, 3)).toBe(Number.MAX_SAFE_INTEGER);
    expect(mulDivFloor(-7, 1, 2)).toBe(-4);
  });
});
