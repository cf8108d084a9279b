import { Frame, Page, SkeletonBodyText, Card, Banner, Tabs, Toast } from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import type { Program } from '../../server/program/program.js';
import { api } from './api.js';
import { t } from './i18n.js';
import { ActivityPage } from './pages/ActivityPage.js';
import { CustomersPage } from './pages/CustomersPage.js';
import { Onboarding } from './pages/Onboarding.js';
import { ProgramPage } from './pages/ProgramPage.js';

export type Notify = (message: string, error?: boolean) => void;

const TABS = [
  { id: 'program', content: t('nav.program') },
  { id: 'customers', content: t('nav.customers') },
  { id: 'activity', content: t('nav.activity') },
];

export function App() {
  const [program, setProgram] = useState<Program | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [tab, setTab] = useState(() => Math.max(0, TABS.findIndex((candidate) => `#${candidate.id}` === window.location.hash)));
  const [toast, setToast] = useState<{ message: string; error: boolean } | null>(null);
  const notify = useCallback<Notify>((message, error = false) => setToast({ message, error }), []);

  useEffect(() => {
    api<Program>('/program').then(setProgram, (error: Error) => setLoadError(error.message));
  }, []);

  const selectTab = (index: number) => {
    setTab(index);
    window.location.hash = TABS[index]!.id;
  };

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
        <Tabs tabs={TABS} selected={tab} onSelect={selectTab} />
        {tab === 0 && <ProgramPage program={program} onSaved={setProgram} notify={notify} />}
        {tab === 1 && <CustomersPage program={program} notify={notify} />}
        {tab === 2 && <ActivityPage notify={notify} />}
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
