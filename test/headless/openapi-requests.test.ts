import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { customerRequests } from '../../server/admin/index.js';
import { engagementRequests } from '../../server/engagement/index.js';
import { groupRequests } from '../../server/groups/index.js';
import { openApiDocument, requestSchema } from '../../server/headless/index.js';
import { headlessRequests } from '../../server/headless/routes.js';
import { backfillRequests, importRequests } from '../../server/imports/index.js';
import { outboundRequests } from '../../server/outbound/index.js';
import { posRequests } from '../../server/pos/index.js';
import { redemptionBody } from '../../server/redemption/index.js';
import { holdRequest } from '../../server/storefront/index.js';

type Media = { schema: Record<string, unknown>; example?: unknown };
type Document = {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, Media> } }>>;
  components: Record<string, unknown>;
};

/** Each route's request schema, as the route itself validates with it. */
const VALIDATED: Array<[string, z.ZodType]> = [
  ['post /api/customers/{customerId}/adjustments', customerRequests.adjustment],
  ['post /api/customers/{customerId}/redemptions', redemptionBody],
  ['post /proxy/redemptions', redemptionBody],
  ['post /extensions/redemptions', redemptionBody],
  ['post /v1/customers/{customerId}/redemptions', redemptionBody],
  ['post /api/imports', importRequests.import],
  ['post /api/backfills', backfillRequests.backfill],
  ['post /api/outbound/endpoints', outboundRequests.endpoint],
  ['post /api/api-keys', headlessRequests.apiKey],
  ['post /api/group', groupRequests.create],
  ['post /api/group/join', groupRequests.join],
  ['post /proxy/group/codes', groupRequests.linkCode],
  ['post /proxy/group/links', groupRequests.link],
  ['post /pos/customers', posRequests.enrol],
  ['post /pos/customers/{customerId}/redemptions', posRequests.redemption],
  ['post /pos/customers/{customerId}/adjustments', posRequests.adjustment],
  ['post /pos/sales/{orderId}/customer', posRequests.attach],
  ['post /proxy/holds', holdRequest],
  ['post /proxy/actions', engagementRequests.action],
  ['post /proxy/surveys/nps', engagementRequests.nps],
  ['post /proxy/surveys/{surveyId}', engagementRequests.slider],
  ['post /proxy/donations', engagementRequests.donation],
  ['post /proxy/transfers', engagementRequests.transfer],
  ['post /engagement/reviews', engagementRequests.review],
  ['put /api/engagement/surveys', engagementRequests.sliderSettings],
  ['put /api/engagement/offers', engagementRequests.offerSettings],
];

/** Bodies the document still describes by hand: Shopify's own payloads, the program (validated as a whole program), Flow's envelope. */
const DESCRIBED_BY_HAND = [
  'post /webhooks',
  'put /api/program',
  'post /api/tiers/preview',
  'post /flow/actions/adjust-points',
  'post /flow/actions/award-badge',
  'post /flow/lifecycle',
];

function documented(key: string): Media {
  const [method, path] = key.split(' ') as [string, string];
  const media = (openApiDocument('https://app.example') as Document).paths[path]?.[method]?.requestBody?.content['application/json'];
  if (!media) throw new Error(`${key} documents no JSON body`);
  return media;
}

/** Variations of a valid body: an unknown key added, each key dropped, each key given a value of another type. */
function variations(example: Record<string, unknown>): Array<Record<string, unknown>> {
  return [
    { ...example, unexpectedKey: 'kept out of the way' },
    ...Object.keys(example).flatMap((key) => {
      const { [key]: _dropped, ...without } = example;
      return [without, { ...example, [key]: true }, { ...example, [key]: 'text' }, { ...example, [key]: 12 }, { ...example, [key]: null }];
    }),
  ];
}

describe('the OpenAPI request bodies are derived from the zod schemas the routes validate with', () => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false });

  it('every documented body comes from its route zod schema or is one of the few described by hand', () => {
    const document = openApiDocument('https://app.example') as Document;
    const withBody = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.entries(operations).map(([method, operation]) => [`${method} ${path}`, operation] as const))
      .filter(([, operation]) => operation.requestBody)
      .map(([key]) => key);
    expect(withBody.filter((key) => !DESCRIBED_BY_HAND.includes(key)).sort()).toEqual(VALIDATED.map(([key]) => key).sort());
    for (const [key, schema] of VALIDATED) expect({ key, schema: documented(key).schema }).toEqual({ key, schema: requestSchema(schema) });
  });

  it('the document and the route accept and refuse the same bodies', () => {
    const disagreements: string[] = [];
    let compared = 0;
    for (const [key, schema] of VALIDATED) {
      const media = documented(key);
      const validate = ajv.compile({ ...media.schema, components: {} });
      expect({ key, exampleAccepted: schema.safeParse(media.example).success }).toEqual({ key, exampleAccepted: true });
      for (const body of [media.example as Record<string, unknown>, ...variations(media.example as Record<string, unknown>)]) {
        compared++;
        const byRoute = schema.safeParse(body).success;
        if (validate(body) !== byRoute) disagreements.push(`${key} ${JSON.stringify(body)}: document ${validate(body)}, route ${byRoute}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(200);
  });
});
