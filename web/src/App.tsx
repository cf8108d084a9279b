import { Frame, Page, SkeletonBodyText, Card, Banner, Box, Select, Tabs, Toast, useBreakpoints } from '@shopify/polaris';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { Program } from '../../server/program/program.js';
import { api } from './api.js';
import { t } from './i18n.js';
import { ActivityPage } from './pages/ActivityPage.js';
import { CustomersPage, CustomerView } from './pages/CustomersPage.js';
import { HomePage } from './pages/HomePage.js';
import { Onboarding } from './pages/Onboarding.js';
import { ProgramPage } from './pages/ProgramPage.js';
import { et } from './pages/engagement/strings.js';
import { useRoute, type Route } from './routes.js';

// Charts and the accounting table load only when the merchant opens Analytics, outside the initial bundle.
const AnalyticsPage = lazy(() => import('./pages/analytics/AnalyticsPage.js'));
const EngagementPage = lazy(() => import('./pages/engagement/EngagementPage.js'));
const ImportsPage = lazy(() => import('./pages/imports/ImportsPage.js'));

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
  const { mdUp } = useBreakpoints();

  useEffect(() => {
    api<Program>('/program').then(setProgram, (error: Error) => setLoadError(error.message));
  }, []);

  let content;
  if (loadError) {
    content = (
      <Page title="Tally">
        <Banner tone="critical" title={t('app.loadFailed')}>
          <p>{loadError}</p>
        </Banner>
      </Page>
    );
  } else if (!program) {
    content = (
      <Page title="Tally">
        <Card>
          <SkeletonBodyText lines={6} />
        </Card>
      </Page>
    );
  } else if (!program.onboarded) {
    content = <Onboarding program={program} onDone={setProgram} notify={notify} />;
  } else {
    content = (
      <>
        {/* Polaris ignores a click on the selected tab; on a customer's page the Customers tab still goes back to the list. */}
        <div
          onClickCapture={(event) => {
            if (route.page === 'customer' && event.target instanceof Element && event.target.closest('#customers')) navigate({ page: 'customers' });
          }}
        >
          {mdUp ? (
            <Tabs tabs={TABS.map((tab) => ({ ...tab }))} selected={tabOf(route)} onSelect={(index) => navigate({ page: TABS[index]!.id })} />
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
        </div>
        {route.page === 'home' && <HomePage program={program} navigate={navigate} />}
        {route.page === 'program' && <ProgramPage program={program} onSaved={setProgram} notify={notify} />}
        {route.page === 'engagement' && (
          <Suspense fallback={<SkeletonBodyText lines={8} />}>
            <EngagementPage program={program} onSaved={setProgram} notify={notify} />
          </Suspense>
        )}
        {route.page === 'customers' && <CustomersPage onOpen={(customerId) => navigate({ page: 'customer', customerId })} />}
        {route.page === 'customer' && (
          <CustomerView
            key={route.customerId}
            customerId={route.customerId}
            program={program}
            onBack={() => navigate({ page: 'customers' })}
            notify={notify}
          />
        )}
        {route.page === 'activity' && <ActivityPage notify={notify} />}
        {route.page === 'analytics' && (
          <Suspense
            fallback={
              <Page title={t('nav.analytics')}>
                <Card>
                  <SkeletonBodyText lines={8} />
                </Card>
              </Page>
            }
          >
            <AnalyticsPage notify={notify} />
          </Suspense>
        )}
        {route.page === 'imports' && (
          <Suspense fallback={<SkeletonBodyText lines={8} />}>
            <ImportsPage />
          </Suspense>
        )}
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
