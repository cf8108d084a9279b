import { Banner, Box, Frame, Select, Toast, useBreakpoints } from '@shopify/polaris';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { Program } from '../../server/program/program.js';
import { api } from './api.js';
import { t } from './i18n.js';
import { NavTabs } from './nav-tabs.js';
import { PageBoundary, PageLoading } from './page-loading.js';
import { PlainPage } from './plain-page.js';
import { HomePage } from './pages/HomePage.js';
import { et } from './pages/engagement/strings.js';
import { useRoute, type Route } from './routes.js';

// Home is in the first load; every other page is a chunk of its own, with what only it uses,
// fetched when the merchant first opens it or points at its tab.
const load = {
  program: () => import('./pages/ProgramPage.js'),
  engagement: () => import('./pages/engagement/EngagementPage.js'),
  customers: () => import('./pages/CustomersPage.js'),
  activity: () => import('./pages/ActivityPage.js'),
  analytics: () => import('./pages/analytics/AnalyticsPage.js'),
  imports: () => import('./pages/imports/ImportsPage.js'),
};
const ProgramPage = lazy(() => load.program().then((module) => ({ default: module.ProgramPage })));
const EngagementPage = lazy(load.engagement);
const CustomersPage = lazy(() => load.customers().then((module) => ({ default: module.CustomersPage })));
const CustomerView = lazy(() => load.customers().then((module) => ({ default: module.CustomerView })));
const ActivityPage = lazy(() => load.activity().then((module) => ({ default: module.ActivityPage })));
const AnalyticsPage = lazy(load.analytics);
const ImportsPage = lazy(load.imports);
const Onboarding = lazy(() => import('./pages/Onboarding.js').then((module) => ({ default: module.Onboarding })));

export type Notify = (message: string, error?: boolean) => void;

const TABS = [
  { id: 'home', content: t('nav.home') },
  { id: 'program', content: t('nav.program') },
  { id: 'engagement', content: et('nav.engagement') },
  { id: 'customers', content: t('nav.customers') },
  { id: 'activity', content: t('nav.activity') },
  { id: 'analytics', content: t('nav.analytics') },
  { id: 'imports', content: t('nav.imports') },
] as const;

/** The header a page shows while it loads: its own title, subtitle and room for its actions, so nothing moves when it arrives. */
function loadingHeader(route: Route, program: Program | null): { title: string; subtitle?: string; actions?: boolean } {
  if (!program) return { title: 'Tally' };
  if (!program.onboarded) return { title: t('onboarding.title'), subtitle: t('onboarding.subtitle') };
  switch (route.page) {
    case 'home':
      return { title: t('home.title') };
    case 'engagement':
      return { title: et('title') };
    case 'customer':
      return { title: t('customer.title', { id: route.customerId }) };
    case 'imports':
      return { title: t('imports.title'), subtitle: t('imports.subtitle') };
    case 'activity':
    case 'analytics':
      return { title: t(`${route.page}.title`), actions: true };
    default:
      return { title: t(`${route.page}.title`) };
  }
}

/** Starts fetching a tab's page when the merchant points at or focuses its tab, ahead of the click. */
function preload(tab: string): void {
  if (tab in load) void load[tab as keyof typeof load]().catch(() => undefined);
}

/** The tab a route belongs to: a customer's page is under Customers. */
function tabOf(route: Route): number {
  const page = route.page === 'customer' ? 'customers' : route.page;
  return TABS.findIndex((tab) => tab.id === page);
}

export function App() {
  const [program, setProgram] = useState<Program | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { route, navigate } = useRoute();
  const [toast, setToast] = useState<{ message: string; error: boolean } | null>(null);
  const notify = useCallback<Notify>((message, error = false) => setToast({ message, error }), []);
  const backToCustomers = useCallback(() => navigate({ page: 'customers' }), [navigate]);
  const { mdUp } = useBreakpoints();

  useEffect(() => {
    api<Program>('/program').then(setProgram, (error: Error) => setLoadError(error.message));
  }, []);

  const loading = (
    <PageLoading
      {...loadingHeader(route, program)}
      backAction={route.page === 'customer' ? { content: t('nav.customers'), onAction: backToCustomers } : undefined}
    />
  );
  let content;
  if (loadError) {
    content = (
      <PlainPage title="Tally">
        <Banner tone="critical" title={t('app.loadFailed')}>
          <p>{loadError}</p>
        </Banner>
      </PlainPage>
    );
  } else if (!program) {
    content = loading;
  } else if (!program.onboarded) {
    content = (
      <PageBoundary>
        <Suspense fallback={loading}>
          <Onboarding program={program} onDone={setProgram} notify={notify} />
        </Suspense>
      </PageBoundary>
    );
  } else {
    content = (
      <>
        {mdUp ? (
          // On a customer's page the Customers tab is selected, and a click on it goes back to the list.
          <NavTabs tabs={TABS} selected={tabOf(route)} onSelect={(index) => navigate({ page: TABS[index]!.id })} onIntent={preload} />
        ) : (
          // Seven tabs do not fit a phone: a list that names every page, instead of tabs cut off at the edge.
          <Box paddingInline="400" paddingBlockStart="300">
            <Select
              label={t('nav.page')}
              labelInline
              options={TABS.map((tab) => ({ label: tab.content, value: tab.id }))}
              value={TABS[tabOf(route)]?.id ?? 'home'}
              onChange={(page) => navigate({ page: page as (typeof TABS)[number]['id'] })}
            />
          </Box>
        )}
        {/* Keyed by the route: another customer's page starts afresh, and a page that failed leaves the others working. */}
        <PageBoundary key={route.page === 'customer' ? `customer/${route.customerId}` : route.page}>
          <Suspense fallback={loading}>
            {route.page === 'home' && <HomePage program={program} navigate={navigate} />}
            {route.page === 'program' && <ProgramPage program={program} onSaved={setProgram} notify={notify} />}
            {route.page === 'engagement' && <EngagementPage program={program} onSaved={setProgram} notify={notify} />}
            {route.page === 'customers' && <CustomersPage onOpen={(customerId) => navigate({ page: 'customer', customerId })} />}
            {route.page === 'customer' && (
              <CustomerView customerId={route.customerId} program={program} onBack={() => navigate({ page: 'customers' })} notify={notify} />
            )}
            {route.page === 'activity' && <ActivityPage notify={notify} />}
            {route.page === 'analytics' && <AnalyticsPage notify={notify} />}
            {route.page === 'imports' && <ImportsPage />}
          </Suspense>
        </PageBoundary>
      </>
    );
  }
  return (
    <Frame>
      {content}
      {toast && <Toast content={toast.message} error={toast.error} onDismiss={() => setToast(null)} />}
    </Frame>
  );
}
