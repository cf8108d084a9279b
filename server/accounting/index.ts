import { aggregateWatermarkModel, changedDayModel, ledgerDayModel } from './store.js';
export { COLUMN_OF_TYPE, dailyReport, daysBetween, summarizeDays, type AccountingDay, type DayMovements, type Movement } from './daily-report.js';
export { aggregateAsOf, dayChanged, refreshDays, utcDay, type DayAggregate } from './day-aggregates.js';
export { parseDayRange, type DayRange } from './day-range.js';
export { accountingJobs } from './jobs.js';
export { accountingReport, ledgerDaysAggregate, ledgerDaysUpTo, type AccountingReport } from './report.js';
export { accountingRouter } from './routes.js';
export { replaceById } from './store.js';

/** accounting's collections, each declaring its indexes (server/indexes.ts creates them). */
export const accountingCollections = [aggregateWatermarkModel, changedDayModel, ledgerDayModel];
