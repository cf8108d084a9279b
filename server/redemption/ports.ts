import type { AppContext } from '../platform/context.js';
import type { Program } from '../program/index.js';
import type { RewardPerks } from './quote.js';

declare module '../platform/context.js' {
  interface Ports {
    /** What the customer's tier or membership takes off reward prices now (no perks, and no database call, without tiers). */
    rewardPerks(ctx: AppContext, program: Program, shop: string, customerId: string, now: Date): Promise<RewardPerks>;
    /**
     * In a program group, moves points the customer holds in the group's other shops here, up to
     * what `points` lacks, named by the redemption's or hold's request key; returns the points moved.
     */
    gatherGroupPoints(ctx: AppContext, request: { shop: string; customerId: string; points: number; requestKey: string }, now: Date): Promise<number>;
    /** The points the customer can spend here: `here`, plus what they hold in the group's other shops. */
    spendableAcrossGroup(ctx: AppContext, shop: string, customerId: string, here: number): Promise<{ available: number; shops: number }>;
  }
}
