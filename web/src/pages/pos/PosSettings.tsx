import { BlockStack, Button, Card, FormLayout, InlineStack, Select, Text } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { defaultPosSettings } from '../../../../server/program/pos-defaults.js';
import type { PosSettings as Settings, Program } from '../../../../server/program/program.js';
import { api } from '../../api.js';
import { NumberField, TextInput } from '../fields.js';
import { pt } from './strings.js';

interface Activity {
  actions: Array<{
    kind: string;
    customerId: string;
    userId: string;
    staffMemberId: string | null;
    points: number;
    detail: string;
    at: string;
    userName: string | null;
    staffMemberName: string | null;
  }>;
  staff: Array<{ staffId: string; name: string | null }>;
}

/** A program saved before POS settings existed has none: start from the server's defaults. */
function settingsOf(program: Program): Settings {
  const stored: Partial<Program> = program;
  return stored.pos ?? defaultPosSettings();
}

/** How the register earns, how long guest sales may be attached, and what each staff role may adjust; staff seen at the register get a role here. */
export function PosSettings({ program, onChange }: { program: Program; onChange(pos: Settings): void }) {
  const pos = settingsOf(program);
  const set = (change: Partial<Settings>) => onChange({ ...pos, ...change });
  const [activity, setActivity] = useState<Activity | null>(null);
  useEffect(() => {
    api<Activity>('/pos/activity?limit=20').then(setActivity, () => setActivity(null));
  }, []);
  const roleOptions = pos.roles.map((role) => ({ label: role.name, value: role.id }));
  const listed = new Map(pos.staff.map((member) => [member.staffId, member.roleId]));
  const names = new Map((activity?.staff ?? []).map((member) => [member.staffId, member.name]));
  const staffIds = [...new Set([...(activity?.staff ?? []).map((member) => member.staffId), ...listed.keys()])];
  const setRole = (staffId: string, roleId: string) =>
    set({ staff: [...pos.staff.filter((member) => member.staffId !== staffId), ...(roleId === pos.defaultRoleId ? [] : [{ staffId, roleId }])] });
  const who = (id: string, name: string | null) => name ?? pt('staffName', { id });

  return (
    <div id="pos-settings">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {pt('title')}
          </Text>
          <Text as="p" tone="subdued">
            {pt('help')}
          </Text>
          <FormLayout>
            <FormLayout.Group>
              <Select
                label={pt('earning')}
                options={(['same', 'excluded', 'own_rate'] as const).map((value) => ({ label: pt(`earning.${value}`), value }))}
                value={pos.earning}
                onChange={(earning) => set({ earning: earning as Settings['earning'] })}
              />
              {pos.earning === 'own_rate' && (
                <NumberField
                  label={pt('rate', { currency: program.currency })}
                  path="pos.pointsPerCurrencyUnit"
                  step={0.5}
                  value={pos.pointsPerCurrencyUnit}
                  onChange={(pointsPerCurrencyUnit) => set({ pointsPerCurrencyUnit })}
                />
              )}
            </FormLayout.Group>
            <NumberField
              label={pt('attachDays')}
              helpText={pt('attachDaysHelp')}
              integer
              path="pos.guestAttachDays"
              value={pos.guestAttachDays}
              onChange={(guestAttachDays) => set({ guestAttachDays })}
            />
            <Text as="h3" variant="headingSm">
              {pt('roles')}
            </Text>
            <Text as="p" tone="subdued">
              {pt('rolesHelp')}
            </Text>
            {pos.roles.map((role, index) => (
              <FormLayout.Group key={role.id}>
                <TextInput
                  label={pt('roleName')}
                  path={`pos.roles.${index}.name`}
                  value={role.name}
                  onChange={(name) => set({ roles: pos.roles.map((other, at) => (at === index ? { ...other, name } : other)) })}
                />
                <NumberField
                  label={pt('limit')}
                  integer
                  path={`pos.roles.${index}.adjustmentLimit`}
                  value={role.adjustmentLimit ?? Number.NaN}
                  onChange={(limit) =>
                    set({
                      roles: pos.roles.map((other, at) =>
                        at === index ? { ...other, adjustmentLimit: Number.isFinite(limit) ? limit : null } : other,
                      ),
                    })
                  }
                />
                <Button
                  variant="plain"
                  tone="critical"
                  disabled={role.id === pos.defaultRoleId}
                  onClick={() =>
                    set({ roles: pos.roles.filter((_, at) => at !== index), staff: pos.staff.filter((member) => member.roleId !== role.id) })
                  }
                >
                  {pt('removeRole')}
                </Button>
              </FormLayout.Group>
            ))}
            <InlineStack>
              <Button
                onClick={() => set({ roles: [...pos.roles, { id: `role-${Date.now().toString(36)}`, name: pt('newRole'), adjustmentLimit: 100 }] })}
                disabled={pos.roles.length >= 10}
              >
                {pt('addRole')}
              </Button>
            </InlineStack>
            <Select label={pt('defaultRole')} options={roleOptions} value={pos.defaultRoleId} onChange={(defaultRoleId) => set({ defaultRoleId })} />
            <Text as="h3" variant="headingSm">
              {pt('staff')}
            </Text>
            <Text as="p" tone="subdued">
              {pt('staffHelp')}
            </Text>
            {staffIds.length === 0 && <Text as="p">{pt('staffNone')}</Text>}
            {staffIds.map((staffId) => (
              <Select
                key={staffId}
                label={who(staffId, names.get(staffId) ?? null)}
                labelInline
                options={roleOptions}
                value={listed.get(staffId) ?? pos.defaultRoleId}
                onChange={(roleId) => setRole(staffId, roleId)}
              />
            ))}
          </FormLayout>
          {activity && activity.actions.length > 0 && (
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                {pt('activity')}
              </Text>
              {activity.actions.slice(0, 8).map((action) => {
                const staff = action.staffMemberId ? who(action.staffMemberId, action.staffMemberName) : who(action.userId, action.userName);
                const account =
                  action.staffMemberId && action.staffMemberId !== action.userId
                    ? ` (${pt('signedInAs', { name: who(action.userId, action.userName) })})`
                    : '';
                const kind = pt(`kind.${action.kind}` as Parameters<typeof pt>[0]);
                return (
                  <Text as="p" key={`${action.at}-${action.kind}-${action.customerId}`} tone="subdued">
                    {`${action.at.slice(0, 16).replace('T', ' ')} · ${staff}${account} ${kind} ${action.points > 0 ? '+' : ''}${action.points || ''} · ${action.detail}`}
                  </Text>
                );
              })}
            </BlockStack>
          )}
        </BlockStack>
      </Card>
    </div>
  );
}
