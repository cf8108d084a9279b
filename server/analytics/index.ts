import { orderDayModel, paidOrderModel } from './store.js';
export { churnRiskOf, customerInsight, ticketOf, type ChurnRisk, type CustomerInsight } from './insight.js';
export { analyticsJobs } from './jobs.js';
export { analyticsReport, summarizeOrders, type Analytics, type OrderDay, type PaidOrderFact } from './metrics.js';
export { RECENT_DAYS, shopFigures, type PeriodFigures, type ShopFigures } from './figures.js';
export { analyticsRouter } from './routes.js';
export { analyticsFor, insightFor, recordPaidOrder, type PaidOrderInput } from './service.js';
export { recordGuestOrder } from './handlers.js';

/** analytics's collections, each declaring its indexes (server/indexes.ts creates them). */
export const analyticsCollections = [orderDayModel, paidOrderModel];
