export { COLUMN_OF_TYPE, dailyReport, daysBetween, summarizeDays, type AccountingDay, type DayMovements, type Movement } from './daily-report.js';
export { aggregateAsOf, dayChanged, refreshDays, utcDay, type DayAggregate } from './day-aggregates.js';
export { parseDayRange, type DayRange } from './day-range.js';
export { accountingJobs } from './jobs.js';
export { accountingReport, ledgerDaysAggregate, ledgerDaysUpTo, type AccountingReport } from './report.js';
export { accountingRouter } from './routes.js';
export { aggregateWatermarkModel, changedDayModel, ledgerDayModel, replaceById } from './store.js';
