import { Schema, Types, type Connection, type Model } from 'mongoose';
import { insertOnce } from '../platform/atomic.js';
import { modelOn } from '../platform/models.js';

/*
 * Engagement's collections. Every write is an insert under a unique index (the one write that is
 * atomic on FerretDB 1.24) or a deleteOne of an instance's own _id; nothing is updated in place.
 */

/** A transfer as asked, recorded before its debit so a crash after the debit can be completed. */
export interface TransferIntent {
  _id: Types.ObjectId;
  shop: string;
  fromCustomerId: string;
  requestKey: string;
  toCustomerId: string;
  points: number;
  month: string;
  createdAt: Date;
}
const transferSchema = new Schema<TransferIntent>(
  {
    shop: { type: String, required: true },
    fromCustomerId: { type: String, required: true },
    requestKey: { type: String, required: true },
    toCustomerId: { type: String, required: true },
    points: { type: Number, required: true },
    month: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'engagement_transfers', versionKey: false },
);
transferSchema.index({ shop: 1, fromCustomerId: 1, requestKey: 1 }, { unique: true });
transferSchema.index({ shop: 1, fromCustomerId: 1, month: 1 });
transferSchema.index({ shop: 1, createdAt: 1 });
export const transferModel = (connection: Connection): Model<TransferIntent> => modelOn(connection, 'EngagementTransfer', transferSchema);

/** The note that a transfer's credit is written: the reconciliation looks no more at it. */
export interface TransferSettled {
  shop: string;
  fromCustomerId: string;
  requestKey: string;
  settledAt: Date;
}
const transferSettledSchema = new Schema<TransferSettled>(
  {
    shop: { type: String, required: true },
    fromCustomerId: { type: String, required: true },
    requestKey: { type: String, required: true },
    settledAt: { type: Date, required: true },
  },
  { collection: 'engagement_transfers_settled', versionKey: false },
);
transferSettledSchema.index({ shop: 1, fromCustomerId: 1, requestKey: 1 }, { unique: true });
export const transferSettledModel = (connection: Connection): Model<TransferSettled> =>
  modelOn(connection, 'EngagementTransferSettled', transferSettledSchema);

/** A donation as asked; it counts for its cause once its ledger debit exists. */
export interface Donation {
  _id: Types.ObjectId;
  shop: string;
  customerId: string;
  requestKey: string;
  causeId: string;
  points: number;
  /** What the merchant gives the cause for these points, in minor units of `currency`. */
  money: number;
  currency: string;
  createdAt: Date;
}
const donationSchema = new Schema<Donation>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    requestKey: { type: String, required: true },
    causeId: { type: String, required: true },
    points: { type: Number, required: true },
    money: { type: Number, required: true },
    currency: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'engagement_donations', versionKey: false },
);
donationSchema.index({ shop: 1, customerId: 1, requestKey: 1 }, { unique: true });
donationSchema.index({ shop: 1, causeId: 1, createdAt: -1 });
export const donationModel = (connection: Connection): Model<Donation> => modelOn(connection, 'EngagementDonation', donationSchema);

/** A birthday, entered once (MM-DD); `month` lets the daily job find the month's birthdays by index. */
export interface Birthday {
  shop: string;
  customerId: string;
  birthday: string;
  month: string;
  createdAt: Date;
}
const birthdaySchema = new Schema<Birthday>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    birthday: { type: String, required: true },
    month: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'engagement_birthdays', versionKey: false },
);
birthdaySchema.index({ shop: 1, customerId: 1 }, { unique: true });
birthdaySchema.index({ shop: 1, month: 1 });
export const birthdayModel = (connection: Connection): Model<Birthday> => modelOn(connection, 'EngagementBirthday', birthdaySchema);

export interface SurveyResponse {
  shop: string;
  customerId: string;
  survey: string;
  period: string;
  score: number;
  comment: string | null;
  createdAt: Date;
}
const surveySchema = new Schema<SurveyResponse>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    survey: { type: String, required: true },
    period: { type: String, required: true },
    score: { type: Number, required: true },
    comment: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'engagement_survey_responses', versionKey: false },
);
surveySchema.index({ shop: 1, customerId: 1, survey: 1, period: 1 }, { unique: true });
surveySchema.index({ shop: 1, survey: 1, createdAt: -1 });
export const surveyResponseModel = (connection: Connection): Model<SurveyResponse> => modelOn(connection, 'EngagementSurveyResponse', surveySchema);

/** A badge or completed challenge: the unique insert is the award, exactly once. */
export interface Award {
  shop: string;
  customerId: string;
  kind: 'badge' | 'challenge';
  awardId: string;
  awardedAt: Date;
}
const awardSchema = new Schema<Award>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    kind: { type: String, required: true },
    awardId: { type: String, required: true },
    awardedAt: { type: Date, required: true },
  },
  { collection: 'engagement_awards', versionKey: false },
);
awardSchema.index({ shop: 1, customerId: 1, kind: 1, awardId: 1 }, { unique: true });
export const awardModel = (connection: Connection): Model<Award> => modelOn(connection, 'EngagementAward', awardSchema);

/** What badges, challenges and referrals count: paid orders, reviews and referrals credited, one document each. */
export interface Milestone {
  _id: Types.ObjectId;
  shop: string;
  customerId: string;
  kind: 'order' | 'review' | 'referral';
  /** The order, review or friend it stands for: unique per shop and kind. */
  ref: string;
  at: Date;
}
const milestoneSchema = new Schema<Milestone>(
  {
    shop: { type: String, required: true },
    customerId: { type: String, required: true },
    kind: { type: String, required: true },
    ref: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'engagement_milestones', versionKey: false },
);
milestoneSchema.index({ shop: 1, kind: 1, ref: 1 }, { unique: true });
milestoneSchema.index({ shop: 1, customerId: 1, kind: 1, at: 1 });
export const milestoneModel = (connection: Connection): Model<Milestone> => modelOn(connection, 'EngagementMilestone', milestoneSchema);

/** Records a milestone once; a retry finds the one already recorded. */
export async function recordMilestone(connection: Connection, milestone: Omit<Milestone, '_id'>): Promise<Milestone> {
  const candidate: Milestone = { _id: new Types.ObjectId(), ...milestone };
  if (await insertOnce(milestoneModel(connection), candidate)) return candidate;
  const existing = await milestoneModel(connection).findOne({ shop: milestone.shop, kind: milestone.kind, ref: milestone.ref }).lean<Milestone>();
  if (!existing) throw new Error(`milestone ${milestone.kind} ${milestone.ref} vanished`);
  return existing;
}

/** A customer's milestones of one kind, in the order they happened (ties broken by _id, the same for every reader). */
export async function milestonesOf(connection: Connection, shop: string, customerId: string, kind: Milestone['kind']): Promise<Milestone[]> {
  return milestoneModel(connection).find({ shop, customerId, kind }).sort({ at: 1, _id: 1 }).lean<Milestone[]>();
}

/**
 * A new review secret, one document per generation (a unique insert): the newest generation signs.
 * Generation 0, the secret every shop started with, has no document.
 */
export interface ReviewSecretGeneration {
  _id: string;
  shop: string;
  generation: number;
  createdAt: Date;
}
const reviewSecretSchema = new Schema<ReviewSecretGeneration>(
  {
    _id: { type: String, required: true },
    shop: { type: String, required: true },
    generation: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'engagement_review_secrets', versionKey: false },
);
reviewSecretSchema.index({ shop: 1, generation: -1 });
export const reviewSecretModel = (connection: Connection): Model<ReviewSecretGeneration> =>
  modelOn(connection, 'EngagementReviewSecret', reviewSecretSchema);

/** The generation of the shop's review secret in use: the newest one, 0 before any rotation. */
export async function reviewSecretGeneration(connection: Connection, shop: string): Promise<{ generation: number; createdAt: Date | null }> {
  const newest = await reviewSecretModel(connection).findOne({ shop }).sort({ generation: -1 }).lean();
  return { generation: newest?.generation ?? 0, createdAt: newest?.createdAt ?? null };
}

/** Starts the next generation; two rotations at once make one of them (the unique _id decides). */
export async function rotateReviewSecret(connection: Connection, shop: string, now: Date): Promise<number> {
  const { generation } = await reviewSecretGeneration(connection, shop);
  await insertOnce(reviewSecretModel(connection), { _id: `${shop}|${generation + 1}`, shop, generation: generation + 1, createdAt: now });
  return (await reviewSecretGeneration(connection, shop)).generation;
}

export const engagementModels = [
  reviewSecretModel,
  transferModel,
  transferSettledModel,
  donationModel,
  birthdayModel,
  surveyResponseModel,
  awardModel,
  milestoneModel,
];
