/** Decimal digits of a currency's minor unit, as Shopify formats its amounts. */
export function currencyDecimals(currency: string): number {
  if (['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX', 'XAF', 'XOF'].includes(currency)) return 0;
  if (['KWD', 'BHD', 'JOD', 'OMR', 'TND', 'IQD', 'LYD'].includes(currency)) return 3;
  return 2;
}

/** Minor units as Shopify's decimal string ("42.50", "4250" for JPY, "1.250" for KWD). */
export function formatAmount(minor: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  if (decimals === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(decimals + 1, '0');
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

export function moneySet(minor: number, currency: string, presentment?: { minor: number; currency: string }): object {
  return {
    shop_money: { amount: formatAmount(minor, currency), currency_code: currency },
    presentment_money: presentment
      ? { amount: formatAmount(presentment.minor, presentment.currency), currency_code: presentment.currency }
      : { amount: formatAmount(minor, currency), currency_code: currency },
  };
}
