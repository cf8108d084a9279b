import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineGrid, InlineStack, SkeletonBodyText, Text } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import type { NpsReport } from '../../../../server/engagement/surveys.js';
import { formatAmount } from '../../../../server/platform/money.js';
import type { ReferralRow } from '../../../../server/referrals/service.js';
import { api, download } from '../../api.js';
import type { Notify } from '../../App.js';
import { Stat } from '../Stat.js';
import { et } from './strings.js';

interface CauseTotals {
  currency: string;
  causes: Array<{ id: string; name: string; enabled: boolean; points: number; money: number; donations: number }>;
}

/** One admin read: its data, or the error in words, or null while it loads. */
function useRead<T>(path: string): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    api<T>(path).then(
      (data) => setState({ data, error: null }),
      (error: Error) => setState({ data: null, error: error.message }),
    );
  }, [path]);
  return state;
}

/** A section still loading, or why it could not load. */
export function Loading({ error }: { error: string | null }) {
  return error ? (
    <Text as="p" tone="critical">
      {et('loadFailed', { message: error })}
    </Text>
  ) : (
    <SkeletonBodyText lines={4} />
  );
}

/** GET /api/nps: the score, its parts, the monthly trend and the latest comments. */
export function NpsResults() {
  const { data, error } = useRead<NpsReport>('/nps');
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {et('nps.title')}
        </Text>
        {!data ? (
          <Loading error={error} />
        ) : data.responses === 0 ? (
          <Text as="p">{et('nps.none')}</Text>
        ) : (
          <>
            <InlineGrid columns={3} gap="400">
              <Stat label={et('nps.score')} value={String(data.score)} />
              <Stat label={et('nps.responses')} value={String(data.responses)} />
              <Stat label={et('nps.promoters')} value={String(data.promoters)} />
              <Stat label={et('nps.passives')} value={String(data.passives)} />
              <Stat label={et('nps.detractors')} value={String(data.detractors)} />
            </InlineGrid>
            <Text as="h3" variant="headingSm">
              {et('nps.trend')}
            </Text>
            <DataTable
              columnContentTypes={['text', 'numeric', 'numeric']}
              headings={[et('nps.month'), et('nps.score'), et('nps.responses')]}
              rows={data.trend.map((month) => [month.month, month.score, month.responses])}
            />
            {data.comments.length > 0 && (
              <>
                <Text as="h3" variant="headingSm">
                  {et('nps.comments')}
                </Text>
                <BlockStack gap="200">
                  {data.comments.slice(0, 20).map((comment) => (
                    <Text as="p" key={`${comment.at}-${comment.comment}`}>
                      <Badge tone={comment.score >= 9 ? 'success' : comment.score >= 7 ? 'info' : 'critical'}>{String(comment.score)}</Badge>{' '}
                      {comment.comment}
                    </Text>
                  ))}
                </BlockStack>
              </>
            )}
          </>
        )}
      </BlockStack>
    </Card>
  );
}

/** GET /api/causes: points and money given to each cause, with the CSV export. */
export function CauseTotalsCard({ notify }: { notify: Notify }) {
  const { data, error } = useRead<CauseTotals>('/causes');
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {et('causes.totals')}
        </Text>
        {!data ? (
          <Loading error={error} />
        ) : data.causes.length === 0 ? (
          <Text as="p">{et('causes.none')}</Text>
        ) : (
          <>
            <DataTable
              columnContentTypes={['text', 'numeric', 'numeric', 'numeric']}
              headings={[et('causes.name'), et('points'), data.currency, et('causes.donations')]}
              rows={data.causes.map((cause) => [
                cause.name,
                cause.points,
                formatAmount({ amount: cause.money, currency: data.currency }),
                cause.donations,
              ])}
            />
            <div>
              <Button onClick={() => download('/causes?format=csv', 'causes.csv').catch((failure: Error) => notify(failure.message, true))}>
                {et('causes.export')}
              </Button>
            </div>
          </>
        )}
      </BlockStack>
    </Card>
  );
}

const STATE_TONE = { pending: 'attention', credited: 'success', refused: 'critical', reversed: 'warning' } as const;

/** GET /api/referrals: the latest referrals with their state and, when refused, why. */
export function ReferralList() {
  const { data, error } = useRead<{ referrals: ReferralRow[] }>('/referrals?limit=50');
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {et('referrals.list')}
        </Text>
        {!data ? (
          <Loading error={error} />
        ) : data.referrals.length === 0 ? (
          <Text as="p">{et('referrals.none')}</Text>
        ) : (
          <DataTable
            columnContentTypes={['text', 'text', 'text', 'text', 'text', 'text']}
            headings={[
              et('referrals.friend'),
              et('referrals.referrer'),
              et('referrals.code'),
              et('referrals.via'),
              et('referrals.paidAt'),
              et('referrals.state'),
            ]}
            rows={data.referrals.map((row) => [
              row.friendId,
              row.referrerId,
              row.code,
              row.via,
              row.paidAt.slice(0, 10),
              <Badge key={row.friendId} tone={STATE_TONE[row.state]}>
                {row.reason ? `${row.state}: ${row.reason}` : row.state}
              </Badge>,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

/**
 * Where a review app reports reviews and the secret it signs with: shown once when it is made
 * (Rotate), masked afterwards; rotating stops the old secret at once.
 */
export function ReviewEndpoint() {
  const { data, error } = useRead<{ url: string; header: string; secretHint: string; rotatedAt: string | null }>('/engagement/review-endpoint');
  const [fresh, setFresh] = useState<string | null>(null);
  const [rotateError, setRotateError] = useState<string | null>(null);
  const rotate = () =>
    api<{ secret: string }>('/engagement/review-endpoint/rotate', { method: 'POST' }).then(
      (answer) => setFresh(answer.secret),
      (failure: Error) => setRotateError(failure.message),
    );
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {et('actions.review')}
        </Text>
        {!data ? (
          <Loading error={error} />
        ) : (
          <>
            <Text as="p">{et('actions.reviewEndpoint', { url: data.url, header: data.header })}</Text>
            {fresh ? (
              <Banner tone="warning" title={et('actions.secretOnce')}>
                <Text as="p" breakWord>
                  <code id="review-secret">{fresh}</code>
                </Text>
              </Banner>
            ) : (
              <Text as="p" breakWord>
                <code id="review-secret">{data.secretHint}</code>
              </Text>
            )}
            {rotateError && <Banner tone="critical">{rotateError}</Banner>}
            <InlineStack>
              <Button onClick={() => void rotate()}>{et('actions.rotateSecret')}</Button>
            </InlineStack>
            <Text as="p" tone="subdued" variant="bodySm">
              {et('actions.rotateHelp')}
            </Text>
          </>
        )}
      </BlockStack>
    </Card>
  );
}
