import { BlockStack, Layout, Page } from '@shopify/polaris';
import type { Program } from '../../../../server/program/program.js';
import type { Notify } from '../../App.js';
import { CauseTotalsCard, NpsResults, ReferralList, ReviewEndpoint } from './EngagementReports.js';
import { EngagementSettings } from './EngagementSettings.js';
import { Offers } from './Offers.js';
import { SliderSurveys } from './SliderSurveys.js';
import { et } from './strings.js';

/** Engagement beyond orders (issue 18): its settings beside what shoppers did with them. Loaded when opened. */
export default function EngagementPage({ program, onSaved, notify }: { program: Program; onSaved(program: Program): void; notify: Notify }) {
  return (
    <Page title={et('title')}>
      <Layout>
        <Layout.Section>
          <EngagementSettings program={program} onSaved={onSaved} notify={notify} />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <NpsResults />
            <CauseTotalsCard notify={notify} />
            <ReviewEndpoint />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="400">
            <SliderSurveys notify={notify} />
            <Offers notify={notify} />
            <ReferralList />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
