import { Box, Button, Text, useBreakpoints } from '@shopify/polaris';
import type { ReactNode, SVGProps } from 'react';
import { t } from './i18n.js';

/** Polaris's own header limits: up to this long a title needs no actions slot on a desktop; past this it is a "long title". */
const SHORT_TITLE = 20;
const LONG_TITLE = 34;

/** Polaris's ArrowLeftIcon, the back button's, drawn here to keep the icon package out of package.json. */
function ArrowLeftIcon(props: SVGProps<SVGSVGElement>) {
  return (
    <svg viewBox="0 0 20 20" {...props}>
      <path
        fillRule="evenodd"
        d="M16.5 10a.75.75 0 0 1-.75.75h-9.69l2.72 2.72a.75.75 0 0 1-1.06 1.06l-4-4a.75.75 0 0 1 0-1.06l4-4a.75.75 0 1 1 1.06 1.06l-2.72 2.72h9.69a.75.75 0 0 1 .75.75Z"
      />
    </svg>
  );
}

export interface PlainPageProps {
  title: string;
  subtitle?: string;
  backAction?: { content: string; onAction(): void };
  /** The page's own header has actions: keep their room (on a phone the row grows to the menu button's height). */
  actions?: boolean;
  /** Announced to screen readers when the page appears; by default, as Polaris: "<title>. This page is ready". */
  status?: string;
  children: ReactNode;
}

/**
 * Polaris's Page for a header without actions: the same markup and Polaris's own classes, so it
 * looks and sits exactly as `<Page>` does (test/admin-ui/shell.test.tsx compares the two). Polaris's
 * Page always brings its action menu, pagination and tooltips (about 20 KB gzipped); Home and the
 * loading state use this one, so the first load carries none of that. A page that needs actions
 * uses `<Page>` and is loaded on demand.
 */
export function PlainPage({ title, subtitle, backAction, actions = false, status, children }: PlainPageProps) {
  // Polaris lays the header out by these rules (Page/components/Header: determineLayout).
  const collapsed = useBreakpoints().mdDown;
  const emptyActions = !actions && !collapsed && title.length > SHORT_TITLE;
  const headerClasses = [
    !actions && 'Polaris-Page-Header--isSingleRow',
    collapsed && 'Polaris-Page-Header--mobileView',
    !backAction && 'Polaris-Page-Header--noBreadcrumbs',
    title.length < LONG_TITLE && 'Polaris-Page-Header--mediumTitle',
    title.length > LONG_TITLE && 'Polaris-Page-Header--longTitle',
  ];
  return (
    <div className="Polaris-Page">
      <Box
        position="relative"
        paddingBlockStart={{ xs: '400', md: '600' }}
        paddingBlockEnd={{ xs: '400', md: '600' }}
        paddingInlineStart={{ xs: '400', sm: '0' }}
        paddingInlineEnd={{ xs: '400', sm: '0' }}
      >
        <div role="status">
          <Text visuallyHidden as="p">
            {status ?? t('app.pageReady', { title })}
          </Text>
        </div>
        <div className={headerClasses.filter(Boolean).join(' ')}>
          <div className="Polaris-Page-Header__Row">
            {backAction && (
              <div className="Polaris-Page-Header__BreadcrumbWrapper">
                <Box maxWidth="100%" paddingInlineEnd="100" printHidden>
                  <Button onClick={backAction.onAction} icon={ArrowLeftIcon} accessibilityLabel={backAction.content} />
                </Box>
              </div>
            )}
            <div
              className={actions ? 'Polaris-Page-Header__TitleWrapper' : 'Polaris-Page-Header__TitleWrapper Polaris-Page-Header__TitleWrapperExpand'}
            >
              <div className="Polaris-Header-Title__TitleWrapper">
                <h1 className={subtitle ? 'Polaris-Header-Title Polaris-Header-Title__TitleWithSubtitle' : 'Polaris-Header-Title'}>
                  <Text as="span" variant="headingLg" fontWeight="bold">
                    {title}
                  </Text>
                </h1>
              </div>
              {subtitle && (
                <div className="Polaris-Header-Title__SubTitle">
                  <Text as="p" variant="bodySm" tone="subdued">
                    {subtitle}
                  </Text>
                </div>
              )}
            </div>
            {emptyActions && <div className="Polaris-Page-Header__RightAlign" />}
            {/* An invisible button of the action menu's size holds its place until the page draws the real one. */}
            {actions && (
              <div className="Polaris-Page-Header__RightAlign" aria-hidden="true" style={{ visibility: 'hidden' }}>
                <Button icon={ArrowLeftIcon} accessibilityLabel="" />
              </div>
            )}
          </div>
        </div>
      </Box>
      {/* Polaris gives the content an empty class when the page has a header; kept, so the two render alike. */}
      <div className="">{children}</div>
    </div>
  );
}
