/** The point-of-sale settings' strings (English), filled in like i18n.ts's `t`: {name} placeholders. */
const en = {
  title: 'Point of sale',
  help: 'Tally’s POS extension shows points at the register, redeems rewards onto the sale and records the staff member behind every redemption and adjustment.',
  earning: 'Sales at the register earn',
  'earning.same': 'As online orders do',
  'earning.excluded': 'Nothing',
  'earning.own_rate': 'At their own rate',
  rate: 'Points per {currency} 1 at the register',
  attachDays: 'Days staff may attach a guest sale to a customer',
  attachDaysHelp: '0 turns attaching off. Each sale can be attached once.',
  roles: 'Staff roles and adjustment limits',
  rolesHelp: 'The most points one manual adjustment at the register may add or take. Blank: no limit.',
  roleName: 'Role',
  limit: 'Adjustment limit (points)',
  addRole: 'Add role',
  removeRole: 'Remove',
  defaultRole: 'Role of staff not listed below',
  staff: 'Staff at the register',
  staffHelp:
    'Staff appear here after their first action at the register. When the staff member pinned in POS and the signed-in account differ, the stricter limit applies.',
  staffNone: 'No one has used Tally at the register yet.',
  staffName: 'Staff {id}',
  activity: 'Recent register activity',
  'kind.redeem': 'redeemed',
  'kind.give_back': 'gave back',
  'kind.adjust': 'adjusted',
  'kind.attach': 'attached a guest sale',
  'kind.enrol': 'enrolled',
  signedInAs: 'signed in as {name}',
  newRole: 'New role',
};

type Key = keyof typeof en;

export function pt(key: Key, values: Record<string, string | number> = {}): string {
  return en[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}
