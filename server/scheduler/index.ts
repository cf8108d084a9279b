export * from './expiry.js';
export { expireInactivePoints, pointsJobs, releasePendingPoints } from './points-jobs.js';
export { jobRunModel, periodKey, runDueJobs, startScheduler, type ScheduledJob, type Scheduler } from './scheduler.js';
export { expiryReminderModel, type ExpiryReminder } from './store.js';
