/** Why a shopper's request is refused, each with the HTTP status routes answer it with. */
export const REFUSAL_STATUS = {
  login_required: 401,
  transfers_off: 422,
  self_transfer: 422,
  below_minimum: 422,
  above_maximum: 422,
  monthly_limit: 409,
  unknown_customer: 422,
  request_key_reused: 422,
  insufficient_points: 409,
  unknown_cause: 422,
  action_off: 422,
  unknown_network: 422,
  invalid_birthday: 422,
  birthday_already_set: 409,
  already_rewarded: 409,
  review_by_app_only: 403,
  survey_off: 422,
  invalid_answer: 422,
} as const;

export type RefusalCode = keyof typeof REFUSAL_STATUS;

export class EngagementRefused extends Error {
  override readonly name = 'EngagementRefused';
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}
