import type { PosSettings } from './program.js';

/**
 * The register earns as the online store does; cashiers adjust up to 100 points at once, managers
 * 1,000. Apart from the schema (no zod), so the admin starts an older program from the same values.
 */
export function defaultPosSettings(): PosSettings {
  return {
    earning: 'same',
    pointsPerCurrencyUnit: 1,
    guestAttachDays: 7,
    roles: [
      { id: 'cashier', name: 'Cashier', adjustmentLimit: 100 },
      { id: 'manager', name: 'Manager', adjustmentLimit: 1_000 },
    ],
    defaultRoleId: 'cashier',
    staff: [],
  };
}
