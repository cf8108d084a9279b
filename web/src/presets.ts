import { moneyFormatter } from '../../server/platform/money.js';
import type { Program, Reward } from '../../server/program/program.js';

export interface Preset {
  id: 'coffee' | 'boutique' | 'cashback';
  /** Whether the program earns points; a cash-back program has no points fields to show. */
  earnsPoints: boolean;
  apply(program: Program, unit: number): Program;
}

const base = {
  enabled: true,
  minimumOrderAmount: 0,
  codeExpiresInDays: 90,
  combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
};

function withEarning(program: Program, change: Partial<Program['earning']>): Program['earning'] {
  return { ...program.earning, ...change, cashBack: { ...program.earning.cashBack, enabled: false, insteadOfPoints: false, ...change.cashBack } };
}

/**
 * The first-run presets, each one a program a merchant of that kind could launch as it is:
 * every reward has its figures (nothing left to look up), give-back sits in the usual 1–5 % band,
 * and a customer who already holds a few hundred points can redeem something straight away.
 */
export const PRESETS: Preset[] = [
  {
    id: 'coffee',
    earnsPoints: true,
    apply: (program, unit) => ({
      ...program,
      pointsName: 'Beans',
      // 1 point per unit and a drink's worth off at 100: 4 % back, with a punch card's bonus every 10th order.
      earning: withEarning(program, { pointsPerCurrencyUnit: 1, punchCard: { enabled: true, everyNthOrder: 10, bonusPoints: 10 } }),
      rewards: [{ ...base, id: 'free-drink', type: 'amount_off', name: 'A free drink', pointsCost: 100, amountOff: 4 * unit } satisfies Reward],
    }),
  },
  {
    id: 'boutique',
    earnsPoints: true,
    apply: (program, unit) => ({
      ...program,
      pointsName: 'points',
      // 2 points per unit: free shipping at 300 and 10 off at 500 (4 % back on the best of them).
      earning: withEarning(program, { pointsPerCurrencyUnit: 2, punchCard: { ...program.earning.punchCard, enabled: false } }),
      rewards: [
        { ...base, id: 'free-shipping', type: 'free_shipping', name: 'Free shipping', pointsCost: 300 },
        {
          ...base,
          id: 'ten-off',
          type: 'amount_off',
          name: `${moneyFormatter(program.currency)(10 * unit)} off your order`,
          pointsCost: 500,
          amountOff: 10 * unit,
        },
      ],
    }),
  },
  {
    id: 'cashback',
    earnsPoints: false,
    apply: (program) => ({
      ...program,
      earning: {
        ...withEarning(program, { pointsPerCurrencyUnit: 0, punchCard: { ...program.earning.punchCard, enabled: false } }),
        cashBack: { enabled: true, percent: 2, insteadOfPoints: true },
      },
    }),
  },
];
