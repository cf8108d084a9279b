import { defaultEngagementSettings, type Program } from '../program/index.js';

export type EngagementSettings = ReturnType<typeof defaultEngagementSettings>;

/** The program's engagement settings; a program stored before they existed reads the defaults. */
export function engagementSettingsOf(program: Program): EngagementSettings {
  const stored: Partial<EngagementSettings> = program;
  const defaults = defaultEngagementSettings();
  return {
    referrals: { ...defaults.referrals, ...stored.referrals },
    actions: { ...defaults.actions, ...stored.actions },
    surveys: { ...defaults.surveys, ...stored.surveys },
    badges: stored.badges ?? defaults.badges,
    challenges: stored.challenges ?? defaults.challenges,
    causes: stored.causes ?? defaults.causes,
    transfers: { ...defaults.transfers, ...stored.transfers },
  };
}
