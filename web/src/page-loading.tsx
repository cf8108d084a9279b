import { Banner, Card, SkeletonBodyText } from '@shopify/polaris';
import { Component, type ReactNode } from 'react';
import { t } from './i18n.js';
import { PlainPage, type PlainPageProps } from './plain-page.js';

/**
 * What a page shows while its code or its data loads: the page's own header (title, subtitle, back
 * button, room for its actions) above a skeleton card, so the header stays where it is when the page arrives.
 */
export function PageLoading(header: Omit<PlainPageProps, 'status' | 'children'>) {
  return (
    <PlainPage {...header} status={t('app.loading')}>
      <Card>
        <SkeletonBodyText lines={8} />
      </Card>
    </PlainPage>
  );
}

/**
 * A page that cannot load (its chunk gone after a deploy, the network down) or that fails while
 * rendering shows why and a way out, instead of taking the tabs and the rest of the admin with it.
 */
export class PageBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <PlainPage title="Tally">
        <Banner tone="critical" title={t('app.pageFailed')} action={{ content: t('app.reload'), onAction: () => window.location.reload() }}>
          <p>{this.state.error.message}</p>
        </Banner>
      </PlainPage>
    );
  }
}
