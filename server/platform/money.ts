/** Money is an integer number of minor units with its currency; never a float. */
export interface Money {
  amount: number;
  currency: string;
}

const ZERO_DECIMALS = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
const THREE_DECIMALS = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

export function currencyDecimals(currency: string): number {
  if (ZERO_DECIMALS.has(currency)) return 0;
  if (THREE_DECIMALS.has(currency)) return 3;
  return 2;
}

export class InvalidAmount extends Error {
  override readonly name = 'InvalidAmount';
}

/** Parses Shopify's decimal string ("42.50", "4250", "1.250") into minor units, exactly. */
export function parseAmount(text: string, currency: string): Money {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new InvalidAmount(`"${text}" is not a decimal amount`);
  const decimals = currencyDecimals(currency);
  const fraction = match[3] ?? '';
  if (fraction.replace(/0+$/, '').length > decimals) throw new InvalidAmount(`"${text}" has more decimals than ${currency} allows`);
  const minor = Number(match[2]) * 10 ** decimals + Number(fraction.padEnd(decimals, '0').slice(0, decimals) || '0');
  if (!Number.isSafeInteger(minor)) throw new InvalidAmount(`"${text}" is too large`);
  return { amount: match[1] ? -minor : minor, currency };
}

/** Minor units as a decimal string in the currency's own decimals. */
export function formatAmount(money: Money): string {
  const decimals = currencyDecimals(money.currency);
  if (decimals === 0) return String(money.amount);
  const digits = String(Math.abs(money.amount)).padStart(decimals + 1, '0');
  return `${money.amount < 0 ? '-' : ''}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** floor(value × numerator ÷ denominator) in integers, exact for any safe inputs. */
export function mulDivFloor(value: number, numerator: number, denominator: number): number {
  if (denominator <= 0) throw new RangeError('denominator must be positive');
  const product = BigInt(value) * BigInt(numerator);
  const quotient = product / BigInt(denominator);
  const floored = product < 0n && product % BigInt(denominator) !== 0n ? quotient - 1n : quotient;
  return Number(floored);
}

/** A decimal rate (1.5 points per unit, 2.25 % cash back) as an integer count of hundredths. */
export function hundredths(rate: number): number {
  return Math.round(rate * 100);
}

/** Minor units for people to read: "$5", "$12.50", "¥500" (cents shown only when there are some). */
export function moneyFormatter(currency: string): (amount: number) => string {
  const decimals = currencyDecimals(currency);
  const whole = new Intl.NumberFormat('en', { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 0 });
  const exact = new Intl.NumberFormat('en', { style: 'currency', currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return (amount) => (amount % 10 ** decimals === 0 ? whole : exact).format(amount / 10 ** decimals);
}
