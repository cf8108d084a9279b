/**
 * Decimal strings to integer minor units and back, in BigInt: the function runs in Javy (QuickJS),
 * which has BigInt, and no amount or rate ever passes through a float.
 */

const ZERO_DECIMALS = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
const THREE_DECIMALS = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

export function currencyDecimals(currency: string): number {
  if (ZERO_DECIMALS.has(currency)) return 0;
  if (THREE_DECIMALS.has(currency)) return 3;
  return 2;
}

/** A non-negative decimal as digits over a power of ten: "1.25" is 125 / 10². */
interface Decimal {
  digits: bigint;
  scale: number;
}

function parseDecimal(text: string): Decimal | undefined {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  return { digits: BigInt(`${match[1]}${fraction}`), scale: fraction.length };
}

function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

/** Exact minor units, or undefined when the text is not a decimal or has more precision than the currency. */
export function exactMinorUnits(text: string, currency: string): bigint | undefined {
  const decimal = parseDecimal(text);
  if (!decimal) return undefined;
  const decimals = currencyDecimals(currency);
  if (decimal.scale <= decimals) return decimal.digits * pow10(decimals - decimal.scale);
  const divisor = pow10(decimal.scale - decimals);
  return decimal.digits % divisor === 0n ? decimal.digits / divisor : undefined;
}

/** Minor units rounded down, for amounts Shopify sends with more precision than the currency has. */
export function flooredMinorUnits(text: string, currency: string): bigint | undefined {
  const decimal = parseDecimal(text);
  if (!decimal) return undefined;
  const decimals = currencyDecimals(currency);
  if (decimal.scale <= decimals) return decimal.digits * pow10(decimals - decimal.scale);
  return decimal.digits / pow10(decimal.scale - decimals);
}

/**
 * Shop-currency minor units in the cart's currency at `rate` (Shopify's presentmentCurrencyRate),
 * rounded down so a discount never exceeds what the points bought. Undefined for a rate that is
 * not a positive decimal.
 */
export function convertMinorUnits(amount: bigint, from: string, to: string, rate: string): bigint | undefined {
  const decimal = parseDecimal(rate);
  if (!decimal || decimal.digits === 0n) return undefined;
  return (amount * decimal.digits * pow10(currencyDecimals(to))) / (pow10(decimal.scale) * pow10(currencyDecimals(from)));
}

/** Minor units as the decimal string Shopify's Decimal scalar takes, in the currency's own decimals. */
export function formatMinorUnits(amount: bigint, currency: string): string {
  const decimals = currencyDecimals(currency);
  if (decimals === 0) return amount.toString();
  const digits = amount.toString().padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
