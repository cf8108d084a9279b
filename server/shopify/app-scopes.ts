import { existsSync, readFileSync } from 'node:fs';

const splitScopes = (text: string): string[] =>
  text
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);

/** The `scopes` of an app configuration's `[access_scopes]` table (shopify.app.toml), or undefined when it declares none. */
export function declaredScopes(toml: string): string[] | undefined {
  const table = /^\[access_scopes\][^\n]*\n([\s\S]*?)(?=^\[|$(?![\s\S]))/m.exec(toml);
  const line = table ? /^scopes\s*=\s*"([^"]*)"/m.exec(table[1]!) : null;
  return line ? splitScopes(line[1]!) : undefined;
}

/**
 * A warning when the SCOPES that Shopify CLI passes differ from those an app configuration file
 * declares (the app would then run with scopes its repository does not ask for); undefined when
 * they agree, SCOPES is unset or the file is absent.
 */
export function scopesWarning(given: string[] | undefined, configFile: string): string | undefined {
  if (!given || !existsSync(configFile)) return undefined;
  const declared = declaredScopes(readFileSync(configFile, 'utf8'));
  if (!declared) return undefined;
  const missing = declared.filter((scope) => !given.includes(scope));
  const extra = given.filter((scope) => !declared.includes(scope));
  if (missing.length === 0 && extra.length === 0) return undefined;
  return (
    `SCOPES (${given.join(',')}) disagrees with ${configFile}'s access_scopes` +
    (missing.length ? `; missing ${missing.join(',')}` : '') +
    (extra.length ? `; not declared there: ${extra.join(',')}` : '') +
    '. The linked app runs with the scopes of the configuration the CLI used: make the two agree (shopify app deploy pushes the file)'
  );
}
