import { createHash } from 'node:crypto';
import { ledgerKeys } from '../ledger/index.js';
import type { ImportFormat, ImportRow, RowError } from './formats.js';

/** The rows of one customer of a file, in file order: history lines, then at most one balance. */
export interface CustomerUnit {
  /** `id:<customer id>` or `email:<address>`: how the file names the customer. */
  identity: string;
  customerId?: string;
  email?: string;
  history: ImportRow[];
  balanceRow?: ImportRow;
  rows: number[];
}

/** Groups rows by customer in order of first appearance; a second balance for a customer is an error. */
export function groupByCustomer(rows: ImportRow[]): { units: CustomerUnit[]; errors: RowError[] } {
  const units = new Map<string, CustomerUnit>();
  const errors: RowError[] = [];
  for (const row of rows) {
    const identity = row.customerId ? `id:${row.customerId}` : `email:${row.email}`;
    let unit = units.get(identity);
    if (!unit) {
      unit = { identity, customerId: row.customerId, email: row.email, history: [], rows: [] };
      units.set(identity, unit);
    }
    if (row.history) {
      unit.history.push(row);
      unit.rows.push(row.row);
    } else if (unit.balanceRow) {
      errors.push({
        row: row.row,
        column: 'balance',
        message: `this customer already has a balance on line ${unit.balanceRow.row}: only that line is imported`,
      });
    } else {
      unit.balanceRow = row;
      unit.rows.push(row.row);
    }
  }
  return { units: [...units.values()], errors };
}

/** One ledger entry an import writes: the points it moves and its key. */
export interface PlannedEntry {
  key: string;
  points: number;
  reason: string;
  row: number;
}

export interface CustomerPlan {
  entries: PlannedEntry[];
  /** What imports will have credited the customer once the entries are written. */
  importedAfter: number;
}

/** Names a history line by its content and its place among identical lines of the customer. */
export function historyLineHash(format: ImportFormat, row: ImportRow, occurrence: number): string {
  const history = row.history!;
  return createHash('sha256')
    .update(JSON.stringify([format, history.date, history.change, history.description, occurrence]))
    .digest('hex')
    .slice(0, 32);
}

/**
 * What importing a customer's rows writes. With `balances: 'set'` (the default) the balance line
 * sets the customer's balance: the entry moves the balance they hold now (after the file's history
 * lines) to the file's balance, once per customer and value, so the same file again writes nothing
 * even after the customer earned more, and an entry of 0 records a balance that was already right.
 * With `'add'`, see below.
 *
 * Adding: given what earlier imports credited them
 * (`importedSoFar`, the sum of their import entries), which import keys exist, and how many
 * balance steps were taken before. History lines move the balance by their points once each (a
 * line already imported is skipped); the balance line then moves what imports credited to
 * the file's balance. So the same file twice writes nothing, a re-export with new lines adds
 * only those, and a changed balance moves by the difference, never the whole amount again.
 */
export function planCustomer(
  format: ImportFormat,
  sourceName: string,
  unit: CustomerUnit,
  customerId: string,
  state: { importedSoFar: number; balanceSteps: number; existingKeys: ReadonlySet<string>; balanceNow: number; balances: 'set' | 'add' },
): CustomerPlan {
  const entries: PlannedEntry[] = [];
  let imported = state.importedSoFar;
  const seen = new Map<string, number>();
  for (const row of unit.history) {
    const content = JSON.stringify([row.history!.date, row.history!.change, row.history!.description]);
    const occurrence = (seen.get(content) ?? 0) + 1;
    seen.set(content, occurrence);
    const key = ledgerKeys.importedHistory(customerId, historyLineHash(format, row, occurrence));
    if (state.existingKeys.has(key) || row.history!.change === 0) continue;
    const { date, description } = row.history!;
    entries.push({
      key,
      points: row.history!.change,
      row: row.row,
      reason: `${sourceName} history${date ? ` ${date}` : ''}${description ? `: ${description}` : ''}`.slice(0, 500),
    });
    imported += row.history!.change;
  }
  const target = unit.balanceRow?.balance;
  if (state.balances === 'set') {
    if (target === undefined) return { entries, importedAfter: imported };
    const key = ledgerKeys.importedBalanceSet(customerId, target);
    if (state.existingKeys.has(key)) return { entries, importedAfter: imported };
    const historyMoved = entries.reduce((sum, entry) => sum + entry.points, 0);
    entries.push({
      key,
      points: target - (state.balanceNow + historyMoved),
      row: unit.balanceRow!.row,
      reason: `${sourceName} balance ${target} imported (balance set to ${target})`,
    });
    return { entries, importedAfter: imported + target - (state.balanceNow + historyMoved) };
  }
  if (target !== undefined && target !== imported) {
    entries.push({
      key: ledgerKeys.importedBalance(customerId, state.balanceSteps, imported, target),
      points: target - imported,
      row: unit.balanceRow!.row,
      reason: `${sourceName} balance ${target} imported`,
    });
    imported = target;
  }
  return { entries, importedAfter: imported };
}

/** Splits units into chunks of about `rowsPerChunk` rows, never splitting a customer. */
export function chunkUnits(units: CustomerUnit[], rowsPerChunk: number): Array<{ first: number; end: number; rows: number }> {
  const chunks: Array<{ first: number; end: number; rows: number }> = [];
  let first = 0;
  let rows = 0;
  units.forEach((unit, index) => {
    rows += unit.rows.length;
    if (rows >= rowsPerChunk || index === units.length - 1) {
      chunks.push({ first, end: index + 1, rows });
      first = index + 1;
      rows = 0;
    }
  });
  return chunks;
}
