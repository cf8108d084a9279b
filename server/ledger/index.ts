import { ledgerDayIndexModel } from './reads.js';
import { ledgerEntryModel } from './store.js';
export { nextEntry, takeWithinBalance, type EntryChange, type RunningTotals } from './balance.js';
export { ledgerKeys } from './keys.js';
export {
  type LedgerEntry,
  newestEntry,
  entryForKey,
  type EntryDraft,
  type ApplyResult,
  type Balance,
  balanceOf,
  applyEntry,
  customersWithLedger,
  customerMovements,
  hasLedger,
  earningHistoryOf,
  orderEntries,
  pointsHeld,
  orderCreditsSince,
  appliedKeys,
  latestEntries,
  availableSums,
  entriesOfTypesSince,
  type BalanceGuard,
  type EntryType,
} from './store.js';
export { type LedgerMovement, movementsOfDays, firstLedgerDay, customerEntriesOfTypes } from './reads.js';
export { customerLedgerPage, type LedgerPage, type LedgerPageQuery } from './customer-reads.js';

/** ledger's collections, each declaring its indexes (server/indexes.ts creates them). */
export const ledgerCollections = [ledgerEntryModel, ledgerDayIndexModel];
