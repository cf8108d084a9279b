import type { Program, Reward } from '../../server/program/program.js';

export interface Preset {
  id: 'coffee' | 'boutique' | 'cashback';
  apply(program: Program, unit: number): Program;
}

const base = { enabled: true, minimumOrderAmount: 0, codeExpiresInDays: 90, combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true } };

function withEarning(program: Program, pointsPerCurrencyUnit: number, cashBack: Program['earning']['cashBack']): Program['earning'] {
  return { ...program.earning, pointsPerCurrencyUnit, cashBack };
}

/** The first-run presets; the merchant adjusts any figure before launching. */
export const PRESETS: Preset[] = [
  {
    id: 'coffee',
    apply: (program) => ({
      ...program,
      pointsName: 'Beans',
      earning: withEarning(program, 1, { ...program.earning.cashBack, enabled: false }),
      rewards: [{ ...base, id: 'free-drink', type: 'free_product', name: 'A free drink', pointsCost: 50, variantId: '' } as Reward],
    }),
  },
  {
    id: 'boutique',
    apply: (program, unit) => ({
      ...program,
      pointsName: 'points',
      earning: withEarning(program, 5, { ...program.earning.cashBack, enabled: false }),
      rewards: [{ ...base, id: 'five-off', type: 'amount_off', name: 'Five off your order', pointsCost: 500, amountOff: 5 * unit }],
    }),
  },
  {
    id: 'cashback',
    apply: (program, unit) => ({
      ...program,
      pointsName: 'points',
      earning: withEarning(program, 0, { enabled: true, percent: 2, insteadOfPoints: true }),
      rewards: program.rewards.length > 0 ? program.rewards : [{ ...base, id: 'five-off', type: 'amount_off', name: 'Five off your order', pointsCost: 500, amountOff: 5 * unit }],
    }),
  },
];
