export { nextEntry, takeWithinBalance, type EntryChange, type RunningTotals } from './balance.js';
export { ledgerKeys } from './keys.js';
export * from './store.js';
export * from './reads.js';
export { customerLedgerPage, type LedgerPage, type LedgerPageQuery } from './customer-reads.js';
