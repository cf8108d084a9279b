/**
 * The register earns as the online store does; cashiers adjust up to 100 points at once, managers
 * 1,000. Apart from the schema (no zod, and no import of program.ts, which checks these values
 * against its schema where it uses them), so the admin starts an older program from the same values.
 */
export function defaultPosSettings() {
  return {
    earning: 'same' as const,
    pointsPerCurrencyUnit: 1,
    guestAttachDays: 7,
    roles: [
      { id: 'cashier', name: 'Cashier', adjustmentLimit: 100 },
      { id: 'manager', name: 'Manager', adjustmentLimit: 1_000 },
    ],
    defaultRoleId: 'cashier',
    staff: [] as Array<{ staffId: string; roleId: string }>,
  };
}
