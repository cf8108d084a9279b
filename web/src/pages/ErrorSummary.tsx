import { Banner, Link, List } from '@shopify/polaris';
import { focusField } from '../errors.js';
import { t } from '../i18n.js';

/** The banner over a form with errors: each field named, with a link that takes the merchant to it. */
export function ErrorSummary({ errors, label }: { errors: Record<string, string>; label(path: string): string | null }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <Banner tone="critical" title={entries.length === 1 ? t('form.fixErrorsOne') : t('form.fixErrorsCount', { count: entries.length })}>
      <List>
        {entries.map(([path, message]) => {
          const name = label(path);
          return (
            <List.Item key={path}>
              {name ? <Link onClick={() => focusField(path)}>{name}</Link> : null}
              {name ? `: ${message}` : message}
            </List.Item>
          );
        })}
      </List>
    </Banner>
  );
}
