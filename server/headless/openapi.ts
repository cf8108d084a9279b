import { Router } from 'express';
import { customerRequests, DELIVERY_STATUSES } from '../admin/index.js';
import { engagementRequests } from '../engagement/index.js';
import { groupRequests } from '../groups/index.js';
import { backfillRequests, importRequests } from '../imports/index.js';
import { OUTBOUND_EVENTS, outboundRequests } from '../outbound/index.js';
import { redemptionBody as redemptionRequest } from '../redemption/index.js';
import { holdRequest } from '../storefront/index.js';
import { API_KEY_SCOPES } from './api-keys.js';
import { headlessRequests } from './routes.js';
import {
  anyObject,
  customerPath,
  dateTime,
  errorAnswer,
  int,
  invalid,
  nullable,
  obj,
  operation,
  queryParameters,
  ref,
  requestSchema,
  str,
  unauthorized,
  type Answer,
  type Schema,
} from './openapi-builders.js';
import { posPaths } from './openapi-pos.js';

const groupExample = {
  id: '6f1c2a9e-3b7d-4e58-9a10-2c4d6e8f0a1b',
  name: 'Harbour shops',
  ownerShop: 'harbour-coffee.myshopify.com',
  shops: [
    {
      shop: 'harbour-coffee.myshopify.com',
      joinedAt: '2026-11-02T09:00:00.000Z',
      accounts: 812,
      outstandingPoints: 40_250,
      liabilityMinor: 40_250,
      currency: 'USD',
      movedInPoints: 1_200,
      movedOutPoints: 3_400,
      linkedAccounts: 140,
      awaitingConfirmation: 12,
    },
    {
      shop: 'harbour-tea.myshopify.com',
      joinedAt: '2026-11-03T10:30:00.000Z',
      accounts: 233,
      outstandingPoints: 9_100,
      liabilityMinor: 8_190,
      currency: 'EUR',
      movedInPoints: 3_400,
      movedOutPoints: 1_200,
      linkedAccounts: 140,
      awaitingConfirmation: 9,
    },
  ],
};

function flowActionExample(handle: string, properties: Record<string, unknown>): Record<string, unknown> {
  return {
    shop_id: '690933842',
    shopify_domain: 'shop.myshopify.com',
    action_run_id: 'a1b2c3d4-0000-4000-8000-000000000001',
    action_definition_id: handle,
    handle,
    properties,
  };
}

const SLIDER_SURVEY_EXAMPLE = {
  id: 'after-delivery',
  title: 'How was your delivery?',
  enabled: true,
  points: 20,
  periodDays: 90,
  questions: [{ id: 'delivery', label: 'Delivery speed', low: 'Slow', high: 'Fast' }],
};
const OFFER_SETTINGS_EXAMPLE = {
  winBack: { enabled: true, title: 'We miss you', afterDays: 90, points: 200, validDays: 30 },
  birthday: { enabled: false, title: 'Happy birthday month', points: 200 },
};

const redemptionExample = {
  id: 'TALLY-7Q2M-XK4D',
  code: 'TALLY-7Q2M-XK4D',
  rewardId: 'five-off',
  rewardName: '$5 off',
  value: { kind: 'amount_off', amount: 500 },
  pointsSpent: 500,
  status: 'issued',
  source: 'storefront',
  failure: null,
  orderId: null,
  expiresAt: '2026-12-31T00:00:00.000Z',
  createdAt: '2026-10-01T12:00:00.000Z',
  balance: 355,
  replayed: false,
};
const redemptionBody = { schema: requestSchema(redemptionRequest), example: { rewardId: 'five-off', requestKey: 'c1a2b3c4d5' } };
const redemptionAnswers: Record<string, Answer> = {
  '201': {
    description: 'Debited and created on Shopify (also for a repeated requestKey, with replayed: true)',
    schema: ref('Redemption'),
    example: redemptionExample,
  },
  '404': errorAnswer('No such reward', 'unknown_reward', 'No reward five-off in this program'),
  '409': errorAnswer('The balance does not cover it; nothing debited', 'insufficient_points', 'Not enough points for this reward'),
  '422': errorAnswer('Refused before anything was debited', 'reward_disabled', 'This reward is turned off'),
  '502': {
    description: 'Shopify failed after retries; the points came back',
    schema: ref('Redemption'),
    example: { ...redemptionExample, status: 'refunded', failure: 'Shopify answered 503', code: 'TALLY-7Q2M-XK4D' },
  },
};

const importStatusExample = {
  id: '4f0c2b9d7e1a4c6b8d2f0a1b3c5d7e9f',
  format: 'smile',
  dryRun: false,
  balances: 'set',
  status: 'done',
  message: null,
  processed: 3,
  total: 3,
  errors: [{ row: 3, column: 'points', message: '"1,234" write 1234 without thousands separators' }],
  errorCount: 1,
  summary: { customers: 2, customersChanged: 2, pointsAdded: 820, pointsRemoved: 0 },
  changes: [{ row: 2, customerId: '7001001', email: 'ada@example.com', balanceBefore: 0, points: 500, balanceAfter: 500, tier: null }],
  fileHash: '9b74c9897bac770ffc029102a200c5de9b74c9897bac770ffc029102a200c5de',
  createdAt: '2026-10-01T12:00:00.000Z',
  finishedAt: '2026-10-01T12:00:02.000Z',
};

const schemas: Record<string, Schema> = {
  OutboundEventType: { enum: [...OUTBOUND_EVENTS] },
  OutboundEndpoint: obj({ id: str, url: str, events: { type: 'array', items: ref('OutboundEventType') }, createdAt: dateTime }),
  FlowAction: obj({
    shop_id: { type: ['integer', 'string'] },
    shopify_domain: str,
    action_run_id: str,
    action_definition_id: str,
    handle: str,
    properties: anyObject,
  }),
  Error: { type: 'object', properties: { error: str, message: str, errors: { type: 'object', additionalProperties: str } }, required: ['error'] },
  Points: obj({ balance: int, pending: int }),
  Redemption: {
    type: 'object',
    properties: {
      id: str,
      code: nullable(str),
      rewardId: str,
      rewardName: str,
      value: anyObject,
      pointsSpent: int,
      status: { enum: ['pending', 'issued', 'used', 'expired', 'refunded'] },
      source: str,
      failure: nullable(str),
      orderId: nullable(str),
      expiresAt: nullable(dateTime),
      createdAt: dateTime,
      balance: int,
      replayed: { type: 'boolean' },
    },
    required: ['id', 'code', 'rewardId', 'pointsSpent', 'status', 'balance'],
  },
  RowError: obj({ row: { type: 'integer', minimum: 1 }, column: str, message: str }),
  ImportChange: obj({ row: int, customerId: str, email: nullable(str), balanceBefore: int, points: int, balanceAfter: int, tier: nullable(str) }),
  ImportStatus: obj({
    id: str,
    format: str,
    dryRun: { type: 'boolean' },
    balances: { enum: ['set', 'add'] },
    status: { enum: ['running', 'done', 'failed', 'cancelled'] },
    message: nullable(str),
    processed: int,
    total: int,
    errors: { type: 'array', items: ref('RowError') },
    errorCount: int,
    summary: obj({ customers: int, customersChanged: int, pointsAdded: int, pointsRemoved: int }),
    changes: { type: 'array', items: ref('ImportChange') },
    fileHash: str,
    createdAt: dateTime,
    finishedAt: nullable(dateTime),
  }),
  ApiKey: obj({
    id: str,
    name: str,
    scopes: { type: 'array', items: { enum: [...API_KEY_SCOPES] } },
    prefix: str,
    createdBy: str,
    createdAt: dateTime,
  }),
  ProgramGroup: obj({
    id: str,
    name: str,
    ownerShop: nullable(str),
    shops: {
      type: 'array',
      items: obj({
        shop: str,
        joinedAt: dateTime,
        accounts: int,
        outstandingPoints: int,
        liabilityMinor: int,
        currency: str,
        movedInPoints: int,
        movedOutPoints: int,
        linkedAccounts: int,
        awaitingConfirmation: int,
      }),
    },
  }),
  HistoryEntry: obj({ seq: int, type: str, points: int, pending: int, balance: int, reason: str, createdAt: dateTime }),
};

const paths: Record<string, Record<string, Schema>> = {
  '/healthz': {
    get: operation({
      summary: 'Health of the app and its database',
      tags: ['platform'],
      security: 'none',
      responses: {
        '200': {
          description: 'The database answers',
          schema: obj({ status: { const: 'ok' }, db: obj({ engine: { enum: ['mongod', 'ferretdb', 'external'] }, version: str }) }),
          example: { status: 'ok', db: { engine: 'ferretdb', version: '7.0.77' } },
        },
        '503': { description: 'The database does not answer', schema: anyObject, example: { status: 'unavailable' } },
      },
    }),
  },
  '/webhooks': {
    post: operation({
      summary: "Shopify's webhook deliveries (every topic of shopify.app.toml); HMAC-signed raw body",
      tags: ['webhooks'],
      security: 'webhookHmac',
      body: { schema: anyObject, example: { id: 820982911946154500, line_items: [], customer: null } },
      responses: {
        '200': {
          description: 'Stored durably (or a duplicate, or a topic the app ignores)',
          schema: obj({ ok: { const: true } }),
          example: { ok: true },
        },
        '400': errorAnswer('Not JSON, missing headers, a payload that does not fit its topic or shop', 'invalid_json', 'The body is not JSON'),
        '401': errorAnswer('Missing or wrong HMAC', 'invalid_hmac', 'X-Shopify-Hmac-Sha256 does not match the body'),
        '413': errorAnswer('Body over 1 MB', 'too_large', 'The body is larger than 1 MB'),
        '503': errorAnswer('The database could not store it; Shopify retries', 'unavailable', 'Try again later'),
      },
    }),
  },
  '/api/openapi.json': {
    get: operation({
      summary: 'This document',
      tags: ['admin'],
      security: 'none',
      responses: { '200': { description: 'OpenAPI 3.1', schema: obj({ openapi: str, info: anyObject, paths: anyObject }, ['openapi', 'paths']) } },
    }),
  },
  '/api/program': {
    get: operation({
      summary: "The shop's program",
      tags: ['admin'],
      security: 'sessionToken',
      responses: {
        '200': {
          description: 'The program',
          schema: { type: 'object', required: ['version', 'earning', 'rewards'] },
          example: {
            version: 3,
            enabled: true,
            currency: 'USD',
            earning: { pointsPerCurrencyUnit: 1 },
            rewards: [{ id: 'five-off', type: 'amount_off', pointsCost: 500 }],
          },
        },
        '401': unauthorized,
      },
    }),
    put: operation({
      summary: 'Saves a changed program (the whole program with its version)',
      tags: ['admin'],
      security: 'sessionToken',
      body: {
        schema: { type: 'object', required: ['version'] },
        example: {
          version: 3,
          enabled: true,
          currency: 'USD',
          earning: { pointsPerCurrencyUnit: 2 },
          rewards: [{ id: 'five-off', type: 'amount_off', pointsCost: 500 }],
        },
      },
      responses: {
        '200': {
          description: 'Saved: version + 1',
          schema: { type: 'object', required: ['version'] },
          example: { version: 4, earning: { pointsPerCurrencyUnit: 2 }, rewards: [] },
        },
        '409': errorAnswer('Someone saved a newer version', 'version_conflict', 'The program changed since you loaded it'),
        '422': invalid('earning.pointsPerCurrencyUnit', 'must be positive'),
        '401': unauthorized,
      },
    }),
  },
  '/api/customers': {
    get: operation({
      summary: 'Search customers by name, email or id',
      tags: ['admin'],
      security: 'sessionToken',
      params: [
        { name: 'query', in: 'query', schema: str },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
      ],
      responses: {
        '200': {
          description: 'Matching customers',
          schema: obj({
            customers: {
              type: 'array',
              items: obj({
                customerId: str,
                name: nullable(str),
                email: nullable(str),
                redacted: { type: 'boolean' },
                points: ref('Points'),
                lifetimeEarned: int,
              }),
            },
          }),
          example: {
            customers: [
              {
                customerId: '7001001',
                name: 'Ada Lovelace',
                email: 'ada@example.com',
                redacted: false,
                points: { balance: 355, pending: 0 },
                lifetimeEarned: 855,
              },
            ],
          },
        },
        '422': invalid('limit', 'Too big: expected number to be <=100'),
        '401': unauthorized,
      },
    }),
  },
  '/api/customers/{customerId}': {
    get: operation({
      summary: "A customer's points, ledger page and redemptions",
      tags: ['admin'],
      security: 'sessionToken',
      params: [
        customerPath,
        { name: 'limit', in: 'query', schema: int },
        { name: 'before', in: 'query', schema: int },
        { name: 'type', in: 'query', schema: str },
      ],
      responses: {
        '200': {
          description: 'The customer',
          schema: {
            type: 'object',
            properties: { customerId: str, points: ref('Points'), ledger: { type: 'array' }, nextBefore: nullable(int) },
            required: ['customerId', 'points', 'ledger'],
          },
          example: {
            customerId: '7001001',
            profile: null,
            points: { balance: 355, pending: 0 },
            lifetimeEarned: 855,
            ledger: [
              {
                key: 'earn:order:450789469',
                type: 'earn',
                seq: 1,
                points: 355,
                pending: 0,
                balance: 355,
                shortfall: 0,
                reason: 'order #1001',
                source: 'orders/paid',
                staffId: null,
                createdAt: '2026-10-01T12:00:00.000Z',
              },
            ],
            nextBefore: null,
            redemptions: [],
          },
        },
        '422': invalid('customerId', 'a Shopify customer id (digits)'),
        '401': unauthorized,
      },
    }),
  },
  '/api/customers/{customerId}/adjustments': {
    post: operation({
      summary: 'A manual adjustment by staff',
      tags: ['admin'],
      security: 'sessionToken',
      params: [customerPath],
      body: {
        schema: requestSchema(customerRequests.adjustment),
        example: { points: 100, reason: 'Sorry for the late parcel' },
      },
      responses: {
        '201': {
          description: 'Applied',
          schema: obj({ key: str, points: int, reason: str, staffId: str, balance: int, pending: int }),
          example: { key: 'adjust:7001001:c1a2b3c4d5', points: 100, reason: 'Sorry for the late parcel', staffId: '42', balance: 455, pending: 0 },
        },
        '422': invalid('points', 'must not be zero'),
        '401': unauthorized,
      },
    }),
  },
  '/api/customers/{customerId}/redemptions': {
    post: operation({
      summary: 'Staff issue a reward for a customer',
      tags: ['admin'],
      security: 'sessionToken',
      params: [customerPath],
      body: redemptionBody,
      responses: { ...redemptionAnswers, '401': unauthorized },
    }),
  },
  '/api/customers/{customerId}/insight': {
    get: operation({
      summary: "A customer's orders, value and churn risk",
      tags: ['admin'],
      security: 'sessionToken',
      params: [customerPath],
      responses: {
        '200': {
          description: 'Insight',
          schema: { type: 'object', required: ['customerId', 'churnRisk'] },
          example: { customerId: '7001001', orders: 3, lifetimeValue: 12500, churnRisk: 'low' },
        },
        '401': unauthorized,
      },
    }),
  },
  '/api/stats': {
    get: operation({
      summary: 'The figures Home and the economics panel show, from the same functions as Analytics and accounting (docs/analytics.md)',
      tags: ['admin'],
      security: 'sessionToken',
      params: [{ name: 'fresh', in: 'query', schema: { enum: ['1'] }, description: 'Recompute today instead of serving sums up to a minute old' }],
      responses: {
        '200': {
          description: 'Figures, money in minor units',
          schema: {
            type: 'object',
            required: ['days', 'orders', 'revenue', 'outstandingPoints', 'pointsHeld', 'liability', 'pointValue', 'recent', 'month', 'asOf'],
          },
          example: {
            days: 30,
            orders: 12,
            revenue: 54000,
            outstandingPoints: 4200,
            outstandingAsOf: '2026-11-20T10:00:00.000Z',
            currency: 'USD',
            pointValue: 1000,
            pointValueBasis: 'best fixed-value reward: $5 off your order (500 points)',
            pointsHeld: 4200,
            liability: 4200,
            members: 9,
            recent: { from: '2026-10-22', to: '2026-11-20', orders: 12, revenue: 54000, refunded: 2200, averageOrder: 4500, programCost: 1500 },
            month: {
              from: '2026-11-01',
              to: '2026-11-20',
              orders: 8,
              revenue: 36000,
              refunded: 0,
              averageOrder: 4500,
              programCost: 500,
              pointsIssued: 360,
              pointsRedeemed: 500,
            },
            asOf: '2026-11-20T10:00:00.000Z',
          },
        },
        '401': unauthorized,
        '404': { description: 'The shop has no program yet' },
      },
    }),
  },
  '/api/accounting/daily': {
    get: operation({
      summary: 'Points accounting by day (CONTRACT.md)',
      tags: ['admin'],
      security: 'sessionToken',
      params: [
        { name: 'from', in: 'query', schema: { type: 'string', format: 'date' } },
        { name: 'to', in: 'query', schema: { type: 'string', format: 'date' } },
        { name: 'format', in: 'query', schema: { enum: ['json', 'csv'] } },
      ],
      responses: {
        '200': {
          description: 'The days',
          schema: { type: 'object', required: ['currency', 'pointValue', 'days', 'liability'] },
          example: { currency: 'USD', pointValue: 1000, days: [], liability: 0, breakageRate: 0 },
        },
        '422': invalid('from', 'must be YYYY-MM-DD'),
        '401': unauthorized,
      },
    }),
  },
  '/api/analytics': {
    get: operation({
      summary: 'Program analytics (CONTRACT.md)',
      tags: ['admin'],
      security: 'sessionToken',
      params: [
        { name: 'from', in: 'query', schema: { type: 'string', format: 'date' } },
        { name: 'to', in: 'query', schema: { type: 'string', format: 'date' } },
      ],
      responses: {
        '200': {
          description: 'Analytics',
          schema: { type: 'object', required: ['members', 'series'] },
          example: {
            members: 10,
            activeMembers: 4,
            participationRate: 0.4,
            redemptionRate: 0.1,
            memberRevenue: 50000,
            nonMemberRevenue: 20000,
            programCost: 1500,
            roi: 2.1,
            currency: 'USD',
            series: [],
          },
        },
        '422': invalid('from', 'must be YYYY-MM-DD'),
        '401': unauthorized,
      },
    }),
  },
  '/api/tiers/preview': {
    get: operation({
      summary: 'Customers per tier under a draft (JSON in ?draft=)',
      tags: ['admin'],
      security: 'sessionToken',
      params: [{ name: 'draft', in: 'query', schema: str, required: true }],
      responses: {
        '200': {
          description: 'The preview',
          schema: { type: 'object', required: ['customers', 'tiers', 'moved'] },
          example: { customers: 10, tiers: [{ id: 'gold', name: 'Gold', threshold: 50000, customers: 2 }], moved: { total: 1, up: 1, down: 0 } },
        },
        '422': invalid('tiers.0.threshold', 'the lowest tier must have threshold 0'),
        '401': unauthorized,
      },
    }),
    post: operation({
      summary: 'Customers per tier under a draft',
      tags: ['admin'],
      security: 'sessionToken',
      body: {
        schema: { type: 'object', required: ['tiers'] },
        example: {
          tiers: [{ id: 'base', name: 'Base', threshold: 0, earnMultiplier: 1 }],
          tierRules: { metric: 'points', period: 'lifetime', downgrade: 'immediate' },
        },
      },
      responses: {
        '200': {
          description: 'The preview',
          schema: { type: 'object', required: ['customers', 'tiers', 'moved'] },
          example: { customers: 10, tiers: [{ id: 'base', name: 'Base', threshold: 0, customers: 10 }], moved: { total: 0, up: 0, down: 0 } },
        },
        '422': invalid('tiers.0.threshold', 'the lowest tier must have threshold 0'),
        '401': unauthorized,
      },
    }),
  },
  '/api/tiers/customers/{customerId}': {
    get: operation({
      summary: "A customer's tier, progress and tier changes",
      tags: ['admin'],
      security: 'sessionToken',
      params: [customerPath],
      responses: {
        '200': {
          description: 'Tier view',
          schema: { type: 'object', required: ['tier', 'changes'] },
          example: {
            tier: { id: 'gold', name: 'Gold' },
            nextTier: null,
            membership: { active: false, until: null },
            tierProgress: null,
            changes: [],
          },
        },
        '401': unauthorized,
      },
    }),
  },
  '/api/webhooks': {
    get: operation({
      summary: "The shop's last webhook deliveries",
      tags: ['admin'],
      security: 'sessionToken',
      params: [{ name: 'status', in: 'query', schema: { enum: [...DELIVERY_STATUSES] } }],
      responses: {
        '200': { description: 'Deliveries', schema: anyObject, example: { deliveries: [] } },
        '422': invalid('status', `must be one of ${DELIVERY_STATUSES.join(', ')}`),
        '401': unauthorized,
      },
    }),
  },
  '/api/webhooks/{id}/retry': {
    post: operation({
      summary: 'Puts a failed delivery back on the queue',
      tags: ['admin'],
      security: 'sessionToken',
      params: [{ name: 'id', in: 'path', schema: str }],
      responses: {
        '202': { description: 'Queued', schema: anyObject, example: { status: 'received' } },
        '404': errorAnswer('No such delivery', 'not_found', 'No such delivery'),
        '409': errorAnswer('Not a failed delivery', 'not_failed', 'Only a failed delivery can be retried'),
        '401': unauthorized,
      },
    }),
  },
  '/api/exports': {
    get: operation({
      summary: 'Customer data exports (customers/data_request)',
      tags: ['admin'],
      security: 'sessionToken',
      responses: { '200': { description: 'Exports', schema: anyObject, example: { exports: [] } }, '401': unauthorized },
    }),
  },
  '/api/exports/{id}': {
    get: operation({
      summary: 'One customer data export, as JSON',
      tags: ['admin'],
      security: 'sessionToken',
      params: [{ name: 'id', in: 'path', schema: str }],
      responses: {
        '200': { description: 'The export', schema: anyObject, example: { customer: { id: '7001001' }, ledger: [] } },
        '404': errorAnswer('No such export', 'not_found', 'No such export'),
        '401': unauthorized,
      },
    }),
  },
  '/api/imports': {
    post: operation({
      summary: 'Imports customers, balances, lifetime points, tiers and history from another app (runs in the background)',
      tags: ['admin', 'imports'],
      security: 'sessionToken',
      body: { schema: requestSchema(importRequests.import), example: { format: 'smile', csv: 'email,points\nada@example.com,500\n', dryRun: true } },
      responses: {
        '202': { description: 'Accepted: poll GET /api/imports/{id}', schema: obj({ id: str }), example: { id: '4f0c2b9d7e1a4c6b8d2f0a1b3c5d7e9f' } },
        '422': invalid('format', 'must be one of smile, loyaltylion, yotpo, generic'),
        '401': unauthorized,
      },
    }),
    get: operation({
      summary: "The shop's last 20 imports",
      tags: ['admin', 'imports'],
      security: 'sessionToken',
      responses: {
        '200': {
          description: 'Imports',
          schema: obj({
            imports: {
              type: 'array',
              items: obj({
                id: str,
                format: str,
                dryRun: { type: 'boolean' },
                total: int,
                status: { enum: ['running', 'done', 'failed', 'cancelled'] },
                createdAt: dateTime,
              }),
            },
          }),
          example: {
            imports: [
              {
                id: '4f0c2b9d7e1a4c6b8d2f0a1b3c5d7e9f',
                format: 'smile',
                dryRun: false,
                total: 3,
                status: 'done',
                createdAt: '2026-10-01T12:00:00.000Z',
              },
            ],
          },
        },
        '401': unauthorized,
      },
    }),
  },
  '/api/imports/{id}': {
    get: operation({
      summary: "An import's progress, per-row errors and changes (planned ones for a dry run)",
      tags: ['admin', 'imports'],
      security: 'sessionToken',
      params: [{ name: 'id', in: 'path', schema: str }],
      responses: {
        '200': { description: 'The import', schema: ref('ImportStatus'), example: importStatusExample },
        '404': errorAnswer('No such import in this shop', 'unknown_import', 'No such import in this shop'),
        '401': unauthorized,
      },
    }),
  },
  '/api/imports/{id}/cancel': {
    post: operation({
      summary: 'Cancels a running import before its next chunk; rows imported before keep their points',
      tags: ['admin', 'imports'],
      security: 'sessionToken',
      params: [{ name: 'id', in: 'path', schema: str }],
      responses: {
        '200': {
          description: 'Cancelled',
          schema: obj({ id: str, status: { const: 'cancelled' } }),
          example: { id: 'c0ffee42', status: 'cancelled' },
        },
        '404': errorAnswer('No such import in this shop', 'unknown_import', 'No such import in this shop'),
        '409': errorAnswer('The import has ended', 'import_finished', 'This import has already ended (done)'),
        '401': unauthorized,
      },
    }),
  },
  '/api/backfills': {
    post: operation({
      summary: 'Credits orders from before install, since a date, through a Shopify bulk operation (runs in the background)',
      tags: ['admin', 'imports'],
      security: 'sessionToken',
      body: {
        schema: requestSchema(backfillRequests.backfill),
        example: { since: '2026-01-01', pointsPerCurrencyUnit: 1 },
      },
      responses: {
        '202': {
          description: 'Accepted: poll GET /api/backfills/{id}',
          schema: obj({ id: str }),
          example: { id: '9a1c2b9d7e1a4c6b8d2f0a1b3c5d7e9f' },
        },
        '422': invalid('since', 'must be a date written YYYY-MM-DD'),
        '401': unauthorized,
      },
    }),
    get: operation({
      summary: "The shop's last 20 backfills",
      tags: ['admin', 'imports'],
      security: 'sessionToken',
      responses: {
        '200': {
          description: 'Backfills',
          schema: obj({
            backfills: {
              type: 'array',
              items: obj({
                id: str,
                since: str,
                pointsPerCurrencyUnit: { type: 'number' },
                status: { enum: ['running', 'done', 'failed'] },
                createdAt: dateTime,
              }),
            },
          }),
          example: {
            backfills: [
              {
                id: '9a1c2b9d7e1a4c6b8d2f0a1b3c5d7e9f',
                since: '2026-01-01',
                pointsPerCurrencyUnit: 1,
                status: 'done',
                createdAt: '2026-10-01T12:00:00.000Z',
              },
            ],
          },
        },
        '401': unauthorized,
      },
    }),
  },
  '/api/backfills/{id}': {
    get: operation({
      summary: "A backfill's progress: the bulk operation, then orders credited, already credited and skipped",
      tags: ['admin', 'imports'],
      security: 'sessionToken',
      params: [{ name: 'id', in: 'path', schema: str }],
      responses: {
        '200': {
          description: 'The backfill',
          schema: obj({
            id: str,
            since: str,
            rateSource: { enum: ['rate', 'program'] },
            pointsPerCurrencyUnit: { type: 'number' },
            status: { enum: ['running', 'done', 'failed'] },
            stage: { enum: ['starting', 'querying_shopify', 'crediting', 'finished'] },
            message: nullable(str),
            processed: int,
            total: nullable(int),
            credited: int,
            alreadyCredited: int,
            skipped: int,
            points: int,
            createdAt: dateTime,
            finishedAt: nullable(dateTime),
          }),
          example: {
            id: '9a1c2b9d7e1a4c6b8d2f0a1b3c5d7e9f',
            since: '2026-01-01',
            rateSource: 'rate',
            pointsPerCurrencyUnit: 2,
            status: 'done',
            stage: 'finished',
            message: null,
            processed: 8,
            total: 8,
            credited: 3,
            alreadyCredited: 1,
            skipped: 4,
            points: 201,
            createdAt: '2026-10-01T12:00:00.000Z',
            finishedAt: '2026-10-01T12:00:09.000Z',
          },
        },
        '404': errorAnswer('No such backfill in this shop', 'unknown_backfill', 'No such backfill in this shop'),
        '401': unauthorized,
      },
    }),
  },
  '/api/outbound/endpoints': {
    get: operation({
      summary: "The shop's webhook endpoints (never their secrets) and the events they can receive",
      tags: ['admin', 'integrations'],
      security: 'sessionToken',
      responses: {
        '200': {
          description: 'Endpoints',
          schema: obj({ endpoints: { type: 'array', items: ref('OutboundEndpoint') }, events: { type: 'array', items: ref('OutboundEventType') } }),
          example: {
            endpoints: [
              {
                id: '0b7e4c1d2a3f4e5d6c7b8a9f0e1d2c3b',
                url: 'https://hooks.example.com/tally',
                events: ['points.earned'],
                createdAt: '2026-10-01T12:00:00.000Z',
              },
            ],
            events: [...OUTBOUND_EVENTS],
          },
        },
        '401': unauthorized,
      },
    }),
    post: operation({
      summary: 'Adds a webhook endpoint; its signing secret is shown in this answer only',
      tags: ['admin', 'integrations'],
      security: 'sessionToken',
      body: {
        schema: requestSchema(outboundRequests.endpoint),
        example: { url: 'https://hooks.example.com/tally', events: ['points.earned', 'tier.changed'] },
      },
      responses: {
        '201': {
          description: 'Created',
          schema: { allOf: [ref('OutboundEndpoint'), obj({ secret: str })] },
          example: {
            id: '0b7e4c1d2a3f4e5d6c7b8a9f0e1d2c3b',
            url: 'https://hooks.example.com/tally',
            events: ['points.earned', 'tier.changed'],
            createdAt: '2026-10-01T12:00:00.000Z',
            secret: 'whsec_Zm9vYmFyYmF6cXV4cXV1eGZvb2Jhcg',
          },
        },
        '409': errorAnswer('Too many endpoints', 'too_many_endpoints', 'A shop has at most 10 endpoints: remove one first'),
        '422': invalid('url', 'must be an https URL'),
        '401': unauthorized,
      },
    }),
  },
  '/api/outbound/endpoints/{id}': {
    delete: operation({
      summary: 'Removes a webhook endpoint; its pending deliveries end failed',
      tags: ['admin', 'integrations'],
      security: 'sessionToken',
      params: [{ name: 'id', in: 'path', schema: str }],
      responses: {
        '204': { description: 'Removed' },
        '404': errorAnswer('No such endpoint in this shop', 'unknown_endpoint', 'No such endpoint in this shop'),
        '401': unauthorized,
      },
    }),
  },
  '/api/outbound/deliveries': {
    get: operation({
      summary: 'The delivery log: recent deliveries to endpoints and Shopify Flow, with every attempt',
      tags: ['admin', 'integrations'],
      security: 'sessionToken',
      params: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } }],
      responses: {
        '200': {
          description: 'Deliveries, newest first, and the Flow triggers the shop uses',
          schema: obj({
            flowTriggers: { type: 'array', items: str },
            deliveries: {
              type: 'array',
              items: obj({
                id: str,
                target: str,
                eventId: str,
                type: ref('OutboundEventType'),
                status: { enum: ['pending', 'delivered', 'failed'] },
                attempts: int,
                lastStatus: nullable(int),
                lastError: nullable(str),
                nextAttemptAt: nullable(dateTime),
                createdAt: dateTime,
                deliveredAt: nullable(dateTime),
                log: { type: 'array', items: obj({ attempt: int, at: dateTime, status: nullable(int), error: nullable(str) }) },
              }),
            },
          }),
          example: {
            flowTriggers: ['tally-points-earned'],
            deliveries: [
              {
                id: 'shop.myshopify.com|0b7e4c1d2a3f4e5d6c7b8a9f0e1d2c3b|points.earned:7001001:3',
                target: '0b7e4c1d2a3f4e5d6c7b8a9f0e1d2c3b',
                eventId: 'points.earned:7001001:3',
                type: 'points.earned',
                status: 'delivered',
                attempts: 2,
                lastStatus: 200,
                lastError: null,
                nextAttemptAt: null,
                createdAt: '2026-10-01T12:00:00.000Z',
                deliveredAt: '2026-10-01T12:00:31.000Z',
                log: [
                  { attempt: 1, at: '2026-10-01T12:00:00.000Z', status: 500, error: 'the endpoint answered 500' },
                  { attempt: 2, at: '2026-10-01T12:00:31.000Z', status: 200, error: null },
                ],
              },
            ],
          },
        },
        '401': unauthorized,
      },
    }),
  },
  '/flow/actions/adjust-points': {
    post: operation({
      summary: 'Shopify Flow action "Adjust loyalty points" (extensions/tally-flow-adjust-points), once per action_run_id',
      tags: ['integrations'],
      security: 'flowHmac',
      body: {
        schema: ref('FlowAction'),
        example: flowActionExample('tally-adjust-points', { customer_id: '7001001', points: 250, reason: 'VIP event' }),
      },
      responses: {
        '200': { description: 'Done', schema: obj({ return_value: obj({ balance: int }) }), example: { return_value: { balance: 850 } } },
        '401': errorAnswer('Missing or wrong HMAC', 'invalid HMAC', 'invalid HMAC'),
        '404': errorAnswer('The app is not installed in the shop', 'not_installed', 'the app is not installed in this shop'),
        '422': errorAnswer(
          'Not a customer and whole points, or more points taken than held',
          'invalid_action',
          'the customer has fewer points than the action takes',
        ),
      },
    }),
  },
  '/flow/actions/award-badge': {
    post: operation({
      summary: 'Shopify Flow action "Award a loyalty badge" (extensions/tally-flow-award-badge): the badge\'s points, once',
      tags: ['integrations'],
      security: 'flowHmac',
      body: { schema: ref('FlowAction'), example: flowActionExample('tally-award-badge', { customer_id: '7001001', badge: 'first-order' }) },
      responses: {
        '200': { description: 'Done', schema: obj({ return_value: obj({ badge: str }) }), example: { return_value: { badge: 'first-order' } } },
        '401': errorAnswer('Missing or wrong HMAC', 'invalid HMAC', 'invalid HMAC'),
        '404': errorAnswer('The app is not installed in the shop', 'not_installed', 'the app is not installed in this shop'),
        '422': errorAnswer(
          'Not a customer, or not a badge of the program',
          'invalid_action',
          'customer_id and a badge of the program (by id or name) are required',
        ),
      },
    }),
  },
  '/flow/lifecycle': {
    post: operation({
      summary: 'Shopify Flow trigger lifecycle callback (extensions/tally-flow-lifecycle): whether a shop has a workflow on a trigger',
      tags: ['integrations'],
      security: 'flowHmac',
      body: {
        schema: obj({
          flow_trigger_definition_id: str,
          has_enabled_flow: { type: 'boolean' },
          shop_id: { type: ['integer', 'string'] },
          shopify_domain: str,
          timestamp: dateTime,
        }),
        example: {
          flow_trigger_definition_id: 'tally-points-earned',
          has_enabled_flow: true,
          shop_id: 690933842,
          shopify_domain: 'shop.myshopify.com',
          timestamp: '2026-10-01T12:00:00.000Z',
        },
      },
      responses: {
        '200': { description: 'Recorded', schema: anyObject, example: { handle: 'tally-points-earned', enabled: true } },
        '401': errorAnswer('Missing or wrong HMAC', 'invalid HMAC', 'invalid HMAC'),
      },
    }),
  },
  '/api/api-keys': {
    get: operation({
      summary: "The shop's API keys (never their secrets)",
      tags: ['admin', 'headless'],
      security: 'sessionToken',
      responses: {
        '200': {
          description: 'Keys',
          schema: obj({ keys: { type: 'array', items: ref('ApiKey') } }),
          example: {
            keys: [
              {
                id: '5d0e2a41b3c4d5e6f7',
                name: 'Klaviyo sync',
                scopes: ['balances:read'],
                prefix: 'tly_5d0e2a41',
                createdBy: '42',
                createdAt: '2026-10-01T12:00:00.000Z',
              },
            ],
          },
        },
        '401': unauthorized,
      },
    }),
    post: operation({
      summary: 'Creates an API key; the key is shown in this answer only',
      tags: ['admin', 'headless'],
      security: 'sessionToken',
      body: {
        schema: requestSchema(headlessRequests.apiKey),
        example: { name: 'Klaviyo sync', scopes: ['balances:read', 'history:read'] },
      },
      responses: {
        '201': {
          description: 'Created',
          schema: { allOf: [ref('ApiKey'), obj({ key: { type: 'string', pattern: '^tly_[0-9a-f]{18}_[\\w-]{43}$' } })] },
          example: {
            id: '5d0e2a41b3c4d5e6f7',
            name: 'Klaviyo sync',
            scopes: ['balances:read', 'history:read'],
            prefix: 'tly_5d0e2a41',
            createdBy: '42',
            createdAt: '2026-10-01T12:00:00.000Z',
            key: 'tly_5d0e2a41b3c4d5e6f7_Qm9vb2J5LXRhbGx5LWV4YW1wbGUta2V5LXNlY3JldDA',
          },
        },
        '422': invalid('scopes.0', 'must be among balances:read, history:read, redemptions:write'),
        '401': unauthorized,
      },
    }),
  },
  '/api/api-keys/{id}': {
    delete: operation({
      summary: 'Revokes an API key at once',
      tags: ['admin', 'headless'],
      security: 'sessionToken',
      params: [{ name: 'id', in: 'path', schema: str }],
      responses: {
        '204': { description: 'Revoked' },
        '404': errorAnswer('No such key in this shop', 'unknown_api_key', 'No such API key in this shop'),
        '401': unauthorized,
      },
    }),
  },
  '/api/group': {
    get: operation({
      summary: "The shop's program group with each member shop's liability, or null",
      tags: ['admin', 'groups'],
      security: 'sessionToken',
      responses: {
        '200': { description: 'The group', schema: obj({ group: nullable(ref('ProgramGroup')) }), example: { group: groupExample } },
        '401': unauthorized,
      },
    }),
    post: operation({
      summary: 'Starts a program group with this shop in it',
      tags: ['admin', 'groups'],
      security: 'sessionToken',
      body: { schema: requestSchema(groupRequests.create), example: { name: 'Harbour shops' } },
      responses: {
        '201': {
          description: 'The new group',
          schema: obj({ group: ref('ProgramGroup') }),
          example: { group: { ...groupExample, shops: [groupExample.shops[0]] } },
        },
        '409': errorAnswer('The shop is in a group already', 'already_grouped', 'This shop is already in a group'),
        '422': invalid('name', 'Give the group a name'),
        '401': unauthorized,
      },
    }),
  },
  '/api/group/invites': {
    post: operation({
      summary: 'A single-use code, valid 7 days, that another of the merchant’s shops joins with (stored only as its hash)',
      tags: ['admin', 'groups'],
      security: 'sessionToken',
      responses: {
        '201': {
          description: 'The code, shown once',
          schema: obj({ code: str, expiresAt: dateTime }),
          example: { code: 'TALLY-q3v8Xb2kLm9PzR4sTu7w', expiresAt: '2026-12-08T12:00:00.000Z' },
        },
        '404': errorAnswer('The shop is in no group', 'not_grouped', 'This shop is not in a group'),
        '401': unauthorized,
      },
    }),
  },
  '/api/group/join': {
    post: operation({
      summary: 'Joins the group an invite code names; the code is spent',
      tags: ['admin', 'groups'],
      security: 'sessionToken',
      body: { schema: requestSchema(groupRequests.join), example: { code: 'TALLY-q3v8Xb2kLm9PzR4sTu7w' } },
      responses: {
        '200': { description: 'The group joined', schema: obj({ group: ref('ProgramGroup') }), example: { group: groupExample } },
        '404': errorAnswer('Unknown, used or expired code', 'unknown_invite', 'This invite code is unknown, used or expired'),
        '409': errorAnswer('The shop is in a group already', 'already_grouped', 'This shop is already in a group'),
        '422': invalid('code', 'Paste the invite code'),
        '401': unauthorized,
      },
    }),
  },
  '/api/group/membership': {
    delete: operation({
      summary: "Leaves the group: each shop keeps its ledger's points; balances are no longer combined",
      tags: ['admin', 'groups'],
      security: 'sessionToken',
      responses: {
        '204': { description: 'Left' },
        '404': errorAnswer('The shop is in no group', 'not_grouped', 'This shop is not in a group'),
        '401': unauthorized,
      },
    }),
  },
  '/proxy/customer': {
    get: operation({
      summary: "The shopper's view (app proxy, signed by Shopify)",
      tags: ['app proxy'],
      security: 'appProxy',
      responses: {
        '200': {
          description: 'The view; customerId null for a guest',
          schema: { type: 'object', properties: { customerId: nullable(str), points: nullable(anyObject) }, required: ['customerId', 'points'] },
          example: {
            customerId: '7001001',
            points: { balance: 355, pending: 0, lifetimeEarned: 855, shops: 1 },
            program: { enabled: true },
            codes: [],
            history: [],
            tier: null,
            nextTier: null,
            membership: { active: false, until: null },
          },
        },
        '401': errorAnswer('Bad signature or timestamp', 'invalid_signature', 'The signature does not match'),
        '429': errorAnswer('Too many requests', 'rate_limited', 'Slow down'),
      },
    }),
  },
  '/proxy/group': {
    get: operation({
      summary: "The signed-in customer's program group: its other shops, whether this account is linked there, and the shared balance",
      tags: ['app proxy', 'groups'],
      security: 'appProxy',
      responses: {
        '200': {
          description: 'The group (null outside one)',
          schema: obj({ group: nullable(anyObject), balance: int, shops: int }),
          example: {
            group: { name: 'Harbour shops', shops: [{ shop: 'harbour-tea.myshopify.com', linked: false }] },
            balance: 355,
            shops: 1,
          },
        },
        '401': errorAnswer('A guest, or a bad signature', 'login_required', 'Sign in to link your accounts'),
      },
    }),
  },
  '/proxy/group/codes': {
    post: operation({
      summary:
        'A one-time code for the signed-in customer to link this account with theirs at another shop of the group (docs/groups.md): shown once, valid 10 minutes',
      tags: ['app proxy', 'groups'],
      security: 'appProxy',
      body: { schema: requestSchema(groupRequests.linkCode), example: { shop: 'harbour-tea.myshopify.com' } },
      responses: {
        '201': {
          description: 'The code, for the customer to enter signed in at that shop',
          schema: obj({ code: str, expiresAt: dateTime, forShop: str }),
          example: { code: 'K7QM-3XWP', expiresAt: '2026-12-02T12:10:00.000Z', forShop: 'harbour-tea.myshopify.com' },
        },
        '404': errorAnswer('The shop is in no group', 'not_grouped', 'This shop is not in a program group'),
        '409': errorAnswer('Already linked there', 'already_linked', 'This account is already linked with an account at harbour-tea.myshopify.com'),
        '422': errorAnswer('Not another shop of the group', 'unknown_shop', 'harbour-x.myshopify.com is not another shop of this program group'),
        '401': errorAnswer('A guest, or a bad signature', 'login_required', 'Sign in to link your accounts'),
      },
    }),
  },
  '/proxy/group/links': {
    post: operation({
      summary: "Links the signed-in customer's account here with the account at the shop that showed the code; five codes an hour per account",
      tags: ['app proxy', 'groups'],
      security: 'appProxy',
      body: { schema: requestSchema(groupRequests.link), example: { code: 'K7QM-3XWP' } },
      responses: {
        '201': {
          description: 'Linked: the balance now spans the linked accounts',
          schema: obj({ linkedShop: str, balance: int, shops: int, group: anyObject }),
          example: {
            linkedShop: 'harbour-coffee.myshopify.com',
            balance: 950,
            shops: 2,
            group: { name: 'Harbour shops', shops: [{ shop: 'harbour-coffee.myshopify.com', linked: true }] },
          },
        },
        '404': errorAnswer('The shop is in no group', 'not_grouped', 'This shop is not in a program group'),
        '409': errorAnswer(
          'An account is linked elsewhere already',
          'already_linked',
          'This account is already linked with an account at harbour-coffee.myshopify.com',
        ),
        '422': {
          description: 'Wrong, used or expired code',
          schema: ref('Error'),
          example: { error: 'invalid_code', message: 'This code is wrong, used or expired: get a new one at the other shop', attemptsLeft: 3 },
        },
        '429': errorAnswer('Five codes tried this hour', 'too_many_attempts', 'Too many codes tried: try again in an hour'),
        '401': errorAnswer('A guest, or a bad signature', 'login_required', 'Sign in to link your accounts'),
      },
    }),
    delete: operation({
      summary: "Stops sharing: the signed-in customer's account here leaves its linked accounts",
      tags: ['app proxy', 'groups'],
      security: 'appProxy',
      responses: {
        '204': { description: 'No longer linked' },
        '404': errorAnswer('Not linked, or no group', 'not_linked', 'This account is not linked with another shop'),
        '401': errorAnswer('A guest, or a bad signature', 'login_required', 'Sign in to link your accounts'),
      },
    }),
  },
  '/proxy/redemptions': {
    post: operation({
      summary: 'The logged-in customer redeems a reward',
      tags: ['app proxy'],
      security: 'appProxy',
      body: redemptionBody,
      responses: { ...redemptionAnswers, '401': errorAnswer('A guest, or a bad signature', 'login_required', 'Sign in to redeem') },
    }),
  },
  '/proxy/holds': {
    get: operation({
      summary: 'Checkout points: the rate and the live holds',
      tags: ['app proxy'],
      security: 'appProxy',
      responses: {
        '200': {
          description: 'Terms and holds',
          schema: { type: 'object', required: ['terms', 'balance', 'holds'] },
          example: { terms: null, balance: 355, holds: [] },
        },
        '401': errorAnswer('A guest', 'login_required', 'Sign in'),
      },
    }),
    post: operation({
      summary: "Reserves points for the customer's checkout (CONTRACT.md)",
      tags: ['app proxy'],
      security: 'appProxy',
      body: {
        schema: requestSchema(holdRequest),
        example: { points: 500, requestKey: 'hold-c1a2b3c4' },
      },
      responses: {
        '201': {
          description: 'Reserved',
          schema: { type: 'object', required: ['holdId', 'points', 'amount', 'expiresAt'] },
          example: {
            holdId: 'h_1',
            points: 500,
            amount: 500,
            currency: 'USD',
            expiresAt: '2026-10-01T12:30:00.000Z',
            replayed: false,
            published: true,
          },
        },
        '409': errorAnswer('Not enough points', 'insufficient_points', 'Not enough points'),
        '422': errorAnswer('Not a valid hold', 'invalid_points', 'Not a whole number of steps'),
        '401': errorAnswer('A guest', 'login_required', 'Sign in'),
      },
    }),
  },
  '/proxy/holds/{holdId}': {
    delete: operation({
      summary: 'Releases a hold',
      tags: ['app proxy'],
      security: 'appProxy',
      params: [{ name: 'holdId', in: 'path', schema: str }],
      responses: {
        '204': { description: 'Released' },
        '404': errorAnswer('Not this customer’s hold', 'unknown_hold', 'No such hold'),
        '409': errorAnswer('An order used it', 'hold_settled', 'The hold was used'),
        '401': errorAnswer('A guest', 'login_required', 'Sign in'),
      },
    }),
  },
  '/proxy/engagement': {
    get: operation({
      summary: 'Ways to earn beyond orders, badges and challenges for the logged-in customer',
      tags: ['app proxy'],
      security: 'appProxy',
      responses: {
        '200': { description: 'The view', schema: anyObject, example: { actions: [], badges: [], challenges: [], causes: [] } },
        '401': errorAnswer('A guest', 'login_required', 'Sign in'),
      },
    }),
  },
  '/proxy/referral': {
    get: operation({
      summary: "The customer's referral code and link (CONTRACT.md)",
      tags: ['app proxy'],
      security: 'appProxy',
      responses: {
        '200': {
          description: 'Code and link',
          schema: obj({ code: str, url: str }),
          example: { code: 'REF-7K3M9P', url: 'https://tally-demo.myshopify.com/?tally_ref=REF-7K3M9P' },
        },
        '401': errorAnswer('A guest', 'login_required', 'Sign in'),
      },
    }),
  },
  '/proxy/actions': {
    post: operation({
      summary: 'A way to earn: birthday, newsletter, social follow (CONTRACT.md)',
      tags: ['app proxy'],
      security: 'appProxy',
      body: {
        schema: requestSchema(engagementRequests.action),
        example: { type: 'newsletter' },
      },
      responses: {
        '201': { description: 'Credited', schema: { type: 'object', required: ['points'] }, example: { type: 'newsletter', points: 50 } },
        '409': errorAnswer('Already rewarded in its period', 'already_rewarded', 'This action was already rewarded'),
        '422': invalid('type', 'is not a way to earn'),
        '401': errorAnswer('A guest', 'login_required', 'Sign in'),
      },
    }),
  },
  '/proxy/surveys/nps': {
    post: operation({
      summary: 'An NPS answer, with points once per survey period (CONTRACT.md)',
      tags: ['app proxy'],
      security: 'appProxy',
      body: {
        schema: requestSchema(engagementRequests.nps),
        example: { score: 9, comment: 'Love the rewards' },
      },
      responses: {
        '201': { description: 'Recorded', schema: { type: 'object', required: ['points'] }, example: { points: 25 } },
        '409': errorAnswer('Already answered this period', 'already_answered', 'Already answered'),
        '422': invalid('score', 'must be a whole number from 0 to 10'),
        '401': errorAnswer('A guest', 'login_required', 'Sign in'),
      },
    }),
  },
  '/proxy/surveys/{surveyId}': {
    post: operation({
      summary: "Answers one of the merchant's slider surveys (0-10 per question), with points once per survey period",
      tags: ['app proxy'],
      security: 'appProxy',
      params: [{ name: 'surveyId', in: 'path', schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,39}$' } }],
      body: {
        schema: requestSchema(engagementRequests.slider),
        example: { answers: { delivery: 8, packaging: 9 } },
      },
      responses: {
        '201': { description: 'Recorded', schema: obj({ points: int, period: str }), example: { points: 20, period: '2026-12' } },
        '409': errorAnswer('Already answered this period', 'already_rewarded', 'You already answered this survey; it comes back next period'),
        '422': invalid('answers', 'every question needs a whole number from 0 to 10'),
        '401': errorAnswer('A guest', 'login_required', 'Sign in'),
      },
    }),
  },
  '/proxy/donations': {
    post: operation({
      summary: 'Gives points to a cause (CONTRACT.md)',
      tags: ['app proxy'],
      security: 'appProxy',
      body: {
        schema: requestSchema(engagementRequests.donation),
        example: { causeId: 'trees', points: 100, requestKey: 'donate-c1a2b3c4' },
      },
      responses: {
        '201': { description: 'Given', schema: { type: 'object', required: ['points'] }, example: { causeId: 'trees', points: 100, balance: 255 } },
        '409': errorAnswer('Not enough points', 'insufficient_points', 'Not enough points'),
        '422': invalid('causeId', 'is not a cause of this shop'),
        '401': errorAnswer('A guest', 'login_required', 'Sign in'),
      },
    }),
  },
  '/proxy/transfers': {
    post: operation({
      summary: 'Sends points to another customer, once per request key (CONTRACT.md)',
      tags: ['app proxy'],
      security: 'appProxy',
      body: {
        schema: requestSchema(engagementRequests.transfer),
        example: { toCustomerId: '7001002', points: 100, requestKey: 'gift-c1a2b3c4' },
      },
      responses: {
        '201': {
          description: 'Sent',
          schema: { type: 'object', required: ['points'] },
          example: { toCustomerId: '7001002', points: 100, balance: 255 },
        },
        '409': errorAnswer('Not enough points', 'insufficient_points', 'Not enough points'),
        '422': invalid('points', 'is above the limit the merchant set'),
        '401': errorAnswer('A guest', 'login_required', 'Sign in'),
      },
    }),
  },
  '/engagement/reviews': {
    post: operation({
      summary: "A review app or Shopify Flow reports a product review (signed with the shop's review secret)",
      tags: ['engagement'],
      security: 'none',
      body: {
        schema: requestSchema(engagementRequests.review),
        example: { shop: 'tally-demo.myshopify.com', customerId: '7001001', reviewId: 'r-123' },
      },
      responses: {
        '201': { description: 'Credited', schema: anyObject, example: { points: 100 } },
        '401': errorAnswer('Bad signature', 'invalid_signature', 'The signature does not match'),
        '409': errorAnswer('Already rewarded', 'already_rewarded', 'This review was already rewarded'),
      },
    }),
  },
  '/api/nps': {
    get: operation({
      summary: 'NPS score, responses, trend and comments (CONTRACT.md)',
      tags: ['admin'],
      security: 'sessionToken',
      responses: {
        '200': {
          description: 'The score',
          schema: { type: 'object', required: ['score', 'responses', 'promoters', 'passives', 'detractors'] },
          example: { score: 40, responses: 10, promoters: 6, passives: 2, detractors: 2 },
        },
        '401': unauthorized,
      },
    }),
  },
  '/api/causes': {
    get: operation({
      summary: 'Causes with the points and money given; ?format=csv exports them',
      tags: ['admin'],
      security: 'sessionToken',
      responses: {
        '200': {
          description: 'The causes',
          schema: anyObject,
          example: { causes: [{ id: 'trees', name: 'Plant trees', points: 1200, money: 1200 }] },
        },
        '401': unauthorized,
      },
    }),
  },
  '/api/engagement/review-endpoint': {
    get: operation({
      summary: 'Where and how a review app reports reviews (the signing secret)',
      tags: ['admin'],
      security: 'sessionToken',
      responses: {
        '200': {
          description: 'The endpoint; the secret only masked (it is shown once, when made)',
          schema: obj({ url: str, header: str, secretHint: str, rotatedAt: nullable(dateTime) }),
          example: {
            url: 'https://tally.example.com/engagement/reviews',
            header: 'X-Tally-Hmac-Sha256',
            secretHint: '••••••••9f3a',
            rotatedAt: null,
          },
        },
        '401': unauthorized,
      },
    }),
  },
  '/api/engagement/review-endpoint/rotate': {
    post: operation({
      summary: 'Makes a new review signing secret and shows it this once; the old one stops working',
      tags: ['admin'],
      security: 'sessionToken',
      responses: {
        '201': {
          description: 'The new secret',
          schema: obj({ secret: str, secretHint: str }),
          example: { secret: 'hex', secretHint: '••••••••9f3a' },
        },
        '401': unauthorized,
      },
    }),
  },
  '/api/engagement/surveys': {
    get: operation({
      summary: 'Slider surveys with their version, and the last year of answers per question',
      tags: ['admin'],
      security: 'sessionToken',
      responses: {
        '200': {
          description: 'The surveys',
          schema: obj({ version: int, surveys: { type: 'array', items: anyObject }, results: { type: 'array', items: anyObject } }),
          example: {
            version: 1,
            surveys: [SLIDER_SURVEY_EXAMPLE],
            results: [
              {
                id: 'after-delivery',
                responses: 2,
                questions: [{ id: 'delivery', label: 'Delivery speed', meanTenths: 85, counts: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0] }],
              },
            ],
          },
        },
        '401': unauthorized,
      },
    }),
    put: operation({
      summary: 'Saves the slider surveys as the version after the one edited (at most 5 surveys of 5 questions)',
      tags: ['admin'],
      security: 'sessionToken',
      body: {
        schema: requestSchema(engagementRequests.sliderSettings),
        example: { version: 1, surveys: [SLIDER_SURVEY_EXAMPLE] },
      },
      responses: {
        '200': {
          description: 'Saved',
          schema: obj({ version: int, surveys: { type: 'array', items: anyObject } }),
          example: { version: 2, surveys: [SLIDER_SURVEY_EXAMPLE] },
        },
        '409': errorAnswer('Another edit was saved first', 'stale_version', 'The surveys changed since you opened them; reload and edit again'),
        '422': invalid('surveys.0.id', 'lower-case letters, digits and -'),
        '401': unauthorized,
      },
    }),
  },
  '/api/engagement/offers': {
    get: operation({
      summary: 'Personalised offers: win-back for lapsed members and a birthday-month bonus, with their version',
      tags: ['admin'],
      security: 'sessionToken',
      responses: {
        '200': {
          description: 'The settings',
          schema: obj({ version: int, settings: anyObject }),
          example: { version: 0, settings: OFFER_SETTINGS_EXAMPLE },
        },
        '401': unauthorized,
      },
    }),
    put: operation({
      summary: 'Saves the offers as the version after the one edited',
      tags: ['admin'],
      security: 'sessionToken',
      body: { schema: requestSchema(engagementRequests.offerSettings), example: { version: 0, settings: OFFER_SETTINGS_EXAMPLE } },
      responses: {
        '200': {
          description: 'Saved',
          schema: obj({ version: int, settings: anyObject }),
          example: { version: 1, settings: OFFER_SETTINGS_EXAMPLE },
        },
        '409': errorAnswer('Another edit was saved first', 'stale_version', 'The offers changed since you opened them; reload and edit again'),
        '422': invalid('settings.winBack.afterDays', 'must be at least 7'),
        '401': unauthorized,
      },
    }),
  },
  '/api/referrals': {
    get: operation({
      summary: 'Referrals with their state',
      tags: ['admin'],
      security: 'sessionToken',
      responses: {
        '200': {
          description: 'The referrals',
          schema: anyObject,
          example: { referrals: [{ friendId: '7001002', referrerId: '7001001', state: 'credited', reason: null }] },
        },
        '401': unauthorized,
      },
    }),
  },
  '/extensions/customer': {
    get: operation({
      summary: "The buyer's view for checkout and account extensions",
      tags: ['extensions'],
      security: 'extensionToken',
      params: [{ name: 'orderId', in: 'query', schema: str }],
      responses: {
        '200': {
          description: 'The view',
          schema: { type: 'object', required: ['customerId'] },
          example: { customerId: '7001001', points: { balance: 355, pending: 0 }, order: null },
        },
        '401': unauthorized,
      },
    }),
  },
  '/extensions/redemptions': {
    post: operation({
      summary: 'The buyer redeems from checkout',
      tags: ['extensions'],
      security: 'extensionToken',
      body: redemptionBody,
      responses: { ...redemptionAnswers, '401': unauthorized },
    }),
  },
  '/v1/customers/{customerId}/balance': {
    get: operation({
      summary: "A customer's balance (scope balances:read); in a program group, `balance` spans the customer's accounts in every linked shop",
      tags: ['headless'],
      security: 'apiKey',
      params: [customerPath],
      responses: {
        '200': {
          description: 'The balance',
          schema: obj({ customerId: str, balance: int, pending: int, lifetimeEarned: int }),
          example: { customerId: '7001001', balance: 355, pending: 0, lifetimeEarned: 855 },
        },
        '401': errorAnswer('No valid API key', 'unauthorized', 'Authorization: Bearer <API key> is required'),
        '403': errorAnswer('The key lacks the scope', 'insufficient_scope', 'This API key lacks the balances:read scope'),
        '404': errorAnswer('No such customer in this shop', 'unknown_customer', 'No such customer in this shop'),
        '429': errorAnswer('Too many requests for this key', 'rate_limited', 'Too many requests for this API key; retry in a minute'),
      },
    }),
  },
  '/v1/customers/{customerId}/history': {
    get: operation({
      summary: "A customer's points history, newest first (scope history:read)",
      tags: ['headless'],
      security: 'apiKey',
      params: [customerPath, ...queryParameters(headlessRequests.history, { cursor: 'nextCursor of the previous page' })],
      responses: {
        '200': {
          description: 'One page',
          schema: obj({ customerId: str, entries: { type: 'array', items: ref('HistoryEntry') }, nextCursor: nullable(str) }),
          example: {
            customerId: '7001001',
            entries: [
              { seq: 2, type: 'redeem', points: -500, pending: 0, balance: 355, reason: 'redeemed $5 off', createdAt: '2026-10-02T09:00:00.000Z' },
            ],
            nextCursor: '2',
          },
        },
        '401': errorAnswer('No valid API key', 'unauthorized', 'Authorization: Bearer <API key> is required'),
        '403': errorAnswer('The key lacks the scope', 'insufficient_scope', 'This API key lacks the history:read scope'),
        '404': errorAnswer('No such customer in this shop', 'unknown_customer', 'No such customer in this shop'),
        '422': invalid('cursor', 'is not a cursor this API returned'),
        '429': errorAnswer('Too many requests for this key', 'rate_limited', 'Too many requests for this API key; retry in a minute'),
      },
    }),
  },
  '/v1/customers/{customerId}/redemptions': {
    post: operation({
      summary: 'Redeems a reward for a customer (scope redemptions:write)',
      tags: ['headless'],
      security: 'apiKey',
      params: [customerPath],
      body: redemptionBody,
      responses: {
        ...redemptionAnswers,
        '401': errorAnswer('No valid API key', 'unauthorized', 'Authorization: Bearer <API key> is required'),
        '403': errorAnswer('The key lacks the scope', 'insufficient_scope', 'This API key lacks the redemptions:write scope'),
        '429': errorAnswer('Too many requests for this key', 'rate_limited', 'Too many requests for this API key; retry in a minute'),
      },
    }),
  },
};

/** The OpenAPI 3.1 document of the admin API, the app proxy, the extensions and the headless API. */
export function openApiDocument(appUrl: string): Schema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tally',
      version: '1',
      description:
        'Loyalty points for Shopify: the admin API (session tokens), the app proxy (Shopify-signed), UI extensions, the POS register and the headless API (API keys). Money is in minor units; points are integers.',
    },
    servers: [{ url: appUrl }],
    tags: [
      { name: 'admin' },
      { name: 'imports' },
      { name: 'integrations' },
      { name: 'groups' },
      { name: 'headless' },
      { name: 'app proxy' },
      { name: 'extensions' },
      { name: 'pos' },
      { name: 'webhooks' },
      { name: 'platform' },
    ],
    paths: { ...paths, ...posPaths },
    components: {
      schemas,
      securitySchemes: {
        sessionToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'App Bridge session token (HS256, aud = API key, dest = the shop)',
        },
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: `A shop's API key (tly_<id>_<secret>), created at /api/api-keys with scopes ${API_KEY_SCOPES.join(', ')}`,
        },
        extensionToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "Shopify's UI extension session token" },
        posToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "Shopify POS session token (shopify.session.getSessionToken()): the admin's form, verified the same way",
        },
        appProxy: { type: 'apiKey', in: 'query', name: 'signature', description: "Shopify's app-proxy signature over the sorted query parameters" },
        flowHmac: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Shopify-Hmac-SHA256',
          description: 'Shopify Flow requests: base64 HMAC-SHA256 of the raw body with the app secret',
        },
        webhookHmac: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Shopify-Hmac-Sha256',
          description: 'Base64 HMAC-SHA256 of the raw body with the app secret',
        },
      },
    },
  };
}

/** GET /api/openapi.json, public: mounted before the admin API's session-token check. */
export function openApiRouter(appUrl: string): Router {
  const body = JSON.stringify(openApiDocument(appUrl));
  return Router().get('/api/openapi.json', (_req, res) => {
    res.type('application/json').set('Cache-Control', 'public, max-age=300').send(body);
  });
}

/**
 * Mounted after every API surface: a documented path asked with a method it does not answer (TRACE,
 * DELETE on a list) gets 405 with `Allow`, as HTTP says, instead of the catch-all 404. HEAD follows GET.
 */
export function methodNotAllowedRouter(appUrl: string): Router {
  const paths = Object.entries((openApiDocument(appUrl) as { paths: Record<string, Record<string, unknown>> }).paths).map(([path, operations]) => ({
    pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
    allow: Object.keys(operations).map((method) => method.toUpperCase()),
  }));
  return Router().use((req, res, next) => {
    const known = paths.find((candidate) => candidate.pattern.test(req.path));
    if (!known || known.allow.includes(req.method) || (req.method === 'HEAD' && known.allow.includes('GET'))) {
      next();
      return;
    }
    res
      .status(405)
      .set('Allow', known.allow.join(', '))
      .json({ error: 'method_not_allowed', message: `${req.path} answers ${known.allow.join(', ')}` });
  });
}
