import { en } from './locales/en.js';

const messages: Record<string, string> = en;

export type MessageKey = keyof typeof en;

/** Every string the admin shows comes from a locale file, ready for translation; {name} placeholders are filled in. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  const text = messages[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}
