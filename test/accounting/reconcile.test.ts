import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountingReport, COLUMN_OF_TYPE, dailyReport, summarizeDays, type AccountingDay, type Movement } from '../../server/accounting/index.js';
import { ensureIndexes } from '../../server/indexes.js';
import { applyEntry, balanceOf, type EntryType } from '../../server/ledger/index.js';
import { ensureDefaultProgram } from '../../server/program/index.js';
import { testContext } from '../support/context.js';

const TYPES = Object.keys(COLUMN_OF_TYPE) as EntryType[];
const BASE = Date.parse('2026-10-01T00:00:00Z');
const DAY = 86_400_000;
const dayOf = (offset: number) => new Date(BASE + offset * DAY).toISOString().slice(0, 10);

function expectReconciles(days: AccountingDay[]): void {
  days.forEach((day, index) => {
    expect(day.closing, day.date).toBe(day.opening + day.earned - day.redeemed - day.reversed - day.expired + day.adjusted);
    if (index > 0) expect(day.opening, day.date).toBe(days[index - 1]!.closing);
  });
}

/** A customer's ledger as the ledger writes it: seq 1, 2, 3 …; a release moves what is pending to available. */
const ledgers = fc
  .array(
    fc.record({
      customer: fc.constantFrom('1', '2', '3', '4', '5'),
      day: fc.integer({ min: 0, max: 9 }),
      type: fc.constantFrom(...TYPES, 'transfer_in'),
      points: fc.integer({ min: -300, max: 1_000 }),
      pending: fc.boolean(),
    }),
    { minLength: 1, maxLength: 120 },
  )
  .map((drafts) => {
    const state = new Map<string, { seq: number; balance: number; pending: number }>();
    return drafts
      .sort((a, b) => a.day - b.day)
      .map((draft): Movement => {
        const account = state.get(draft.customer) ?? { seq: 0, balance: 0, pending: 0 };
        let available = draft.points;
        let pending = 0;
        if (draft.type === 'release') {
          available = account.pending;
          pending = -account.pending;
        } else if ((draft.type === 'earn' || draft.type === 'order_edit') && draft.pending) {
          available = 0;
          pending = draft.points;
        }
        account.seq++;
        account.balance += available;
        account.pending += pending;
        state.set(draft.customer, account);
        return { customerId: draft.customer, seq: account.seq, type: draft.type, available, pending, day: dayOf(draft.day) };
      });
  });

describe('points accounting reconciles', () => {
  it('each day closes as it opens plus its movements, and the last closing is the sum of all balances, for random ledgers', () => {
    fc.assert(
      fc.property(ledgers, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 9, max: 12 }), (movements, fromOffset, toOffset) => {
        const from = dayOf(fromOffset);
        const days = dailyReport(summarizeDays(movements), from, dayOf(toOffset), 1_000);
        expectReconciles(days);
        expect(days[0]!.opening).toBe(movements.filter((movement) => movement.day < from).reduce((sum, movement) => sum + movement.available, 0));
        const balances = new Map<string, number>();
        for (const movement of movements) balances.set(movement.customerId, (balances.get(movement.customerId) ?? 0) + movement.available);
        expect(days.at(-1)!.closing).toBe([...balances.values()].reduce((sum, balance) => sum + balance, 0));
        for (const day of days) expect(day.closingValue).toBe(day.closing);
      }),
      { numRuns: 500 },
    );
  });

  it('books every entry type in exactly one column, with the sign that moves the balance', () => {
    for (const type of TYPES) {
      const [day] = summarizeDays([{ customerId: '1', seq: 1, type, available: 7, pending: 0, day: '2026-10-01' }]);
      const columns = (['earned', 'redeemed', 'reversed', 'expired', 'adjusted'] as const).filter((column) => day![column] !== 0);
      expect(columns, type).toEqual([COLUMN_OF_TYPE[type as keyof typeof COLUMN_OF_TYPE]]);
      const [report] = dailyReport([day!], '2026-10-01', '2026-10-01', 1_000);
      expect(report!.closing, type).toBe(7);
    }
  });
});

describe('points accounting on the database, with days sealed while the ledger grows', () => {
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let run = 0;
  beforeAll(async () => {
    ctx = await testContext('accounting-reconcile');
    await ensureIndexes(ctx.connection);
  });
  afterAll(async () => {
    await ctx.connection.close();
  });

  it('reports what the ledger holds: last closing = sum of balances, pending kept apart, whatever the page views in between', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            customer: fc.constantFrom('11', '12', '13'),
            hours: fc.integer({ min: 0, max: 5 * 24 }),
            type: fc.constantFrom(...TYPES),
            points: fc.integer({ min: 1, max: 400 }),
            pending: fc.boolean(),
            view: fc.boolean(),
          }),
          { minLength: 1, maxLength: 18 },
        ),
        async (plans) => {
          run++;
          const shop = `reconcile-${run}.myshopify.com`;
          await ensureDefaultProgram(ctx.connection, shop, 'USD', new Date(BASE));
          const pendingOf = new Map<string, number>();
          const sorted = [...plans].sort((a, b) => a.hours - b.hours);
          for (const [index, plan] of sorted.entries()) {
            const now = new Date(BASE + plan.hours * 3_600_000 + index);
            const held = pendingOf.get(plan.customer) ?? 0;
            const signed = ['reverse', 'redeem', 'hold', 'expire'].includes(plan.type)
              ? -plan.points
              : ['order_edit', 'adjust'].includes(plan.type) && plan.pending
                ? -plan.points
                : plan.points;
            const toPending = plan.type === 'earn' && plan.pending;
            const available = plan.type === 'release' ? held : toPending ? 0 : signed;
            const pending = plan.type === 'release' ? -held : toPending ? plan.points : 0;
            const result = await applyEntry(
              ctx.connection,
              {
                shop,
                customerId: plan.customer,
                key: `${plan.type}:${index}`,
                type: plan.type,
                available,
                pending,
                reason: 'property',
                source: 'test',
                guard: plan.type === 'redeem' || plan.type === 'hold' ? 'require' : plan.type === 'expire' ? 'clamp' : 'none',
              },
              now,
            );
            if (result.appliedNow) pendingOf.set(plan.customer, held + pending);
            if (plan.view) expectReconciles((await accountingReport(ctx, shop, { from: dayOf(0), to: dayOf(6) }, now))!.days);
          }
          const end = new Date(BASE + 6 * DAY + 2 * 3_600_000);
          const report = (await accountingReport(ctx, shop, { from: dayOf(1), to: dayOf(6) }, end))!;
          expectReconciles(report.days);
          const balances = await Promise.all(['11', '12', '13'].map((customer) => balanceOf(ctx.connection, shop, customer)));
          expect(report.days.at(-1)!.closing).toBe(balances.reduce((sum, balance) => sum + balance.available, 0));
          expect(report.pendingPoints).toBe(balances.reduce((sum, balance) => sum + balance.pending, 0));
          expect(report.liability).toBe(report.days.at(-1)!.closingValue);
        },
      ),
      { numRuns: 6 },
    );
  }, 240_000);
});
