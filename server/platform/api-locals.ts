import type { Response } from 'express';

/** What the admin API's session-token middleware establishes for every /api handler. */
export interface ApiLocals {
  shop: string;
  staffId: string;
}

export function apiLocals(res: Response): ApiLocals {
  return res.locals as ApiLocals;
}
