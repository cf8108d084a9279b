import { posRequests } from '../pos/index.js';
import {
  anyObject,
  customerPath,
  errorAnswer,
  int,
  invalid,
  nullable,
  obj,
  operation,
  requestSchema,
  str,
  type Answer,
  type Schema,
} from './openapi-builders.js';

/** The register's routes (server/pos), called by extensions/tally-pos with POS session tokens. */
const security = 'posToken';
const tags = ['pos'];
const unauthorized = errorAnswer('Missing or invalid POS session token', 'unauthorized', 'Invalid session token: session token is expired');
const orderPath = {
  name: 'orderId',
  in: 'path' as const,
  schema: { type: 'string', pattern: '^\\d{1,20}$' },
  description: "Shopify's numeric order id",
};
const refusal = (description: string, error: string, message: string, extra: Record<string, unknown> = {}): Answer => ({
  description,
  schema: { type: 'object', properties: { error: str, message: str }, required: ['error', 'message'] },
  example: { error, message, ...extra },
});
const attachedExample = {
  orderId: '820982911946154508',
  orderName: '#1005',
  customerId: '7001001',
  name: 'Ada Lovelace',
  earned: 20,
  detail: 'order 820982911946154508: 20 points',
  balance: 375,
};
const attachedSchema = obj({ orderId: str, customerId: str, earned: int, balance: int, replayed: { type: 'boolean' } });

const cardExample = {
  customerId: '7001001',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  pointsName: 'points',
  currency: 'USD',
  points: { balance: 355, pending: 0, lifetimeEarned: 855 },
  tier: { id: 'gold', name: 'Gold' },
  nextTier: null,
  punchCard: { every: 10, bonusPoints: 50, punched: 3, ordersToBonus: 7 },
  history: [
    {
      type: 'earn',
      points: 9,
      pending: 0,
      reason: 'order paid',
      description: { kind: 'order', order: '#1004' },
      createdAt: '2026-10-02T09:00:00.000Z',
    },
  ],
  rewards: [
    {
      id: 'free-coffee',
      type: 'free_product',
      name: 'Free flat white',
      pointsCost: 50,
      affordable: true,
      steps: null,
      variantId: '88011',
      minimumOrderAmount: 0,
    },
  ],
  heldRewards: [],
};

const redemptionExample = {
  id: 'TALLY-7Q2M-XK4D-9PLA',
  code: 'TALLY-7Q2M-XK4D-9PLA',
  rewardId: 'free-coffee',
  rewardName: 'Free flat white',
  value: { kind: 'free_product', variantId: '88011' },
  pointsSpent: 50,
  status: 'issued',
  source: 'pos',
  failure: null,
  orderId: null,
  expiresAt: '2026-11-01T09:00:00.000Z',
  createdAt: '2026-10-02T09:00:00.000Z',
  balance: 305,
  apply: { code: 'TALLY-7Q2M-XK4D-9PLA', addVariantId: '88011' },
};

export const posPaths: Record<string, Record<string, Schema>> = {
  '/pos/customers': {
    get: operation({
      summary: 'Looks customers up at the register by name, email, phone or id',
      tags,
      security,
      params: [{ name: 'query', in: 'query', schema: { type: 'string', maxLength: 200 } }],
      responses: {
        '200': {
          description: 'Up to 10 customers, most recently updated first',
          schema: obj({ customers: { type: 'array', items: anyObject } }),
          example: {
            customers: [{ customerId: '7001001', name: 'Ada Lovelace', email: 'ada@example.com', phone: null, redacted: false, balance: 355 }],
          },
        },
        '401': unauthorized,
      },
    }),
    post: operation({
      summary: 'Enrols a new customer from the register (Shopify customerCreate; customers/create follows)',
      tags,
      security,
      body: {
        schema: requestSchema(posRequests.enrol),
        example: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' },
      },
      responses: {
        '201': {
          description: 'The new customer',
          schema: obj({ customerId: str, name: nullable(str), email: nullable(str) }, ['customerId']),
          example: { customerId: '7001004', name: 'Grace Hopper', email: 'grace@example.com', phone: null, redacted: false },
        },
        '401': unauthorized,
        '409': refusal('The email is in use', 'customer_exists', 'A customer with grace@example.com already exists: look them up instead'),
        '422': invalid('email', 'is not an email address'),
      },
    }),
  },
  '/pos/customers/{customerId}': {
    get: operation({
      summary: "The customer's details at the register: balance, pending, tier, punch card, last entries, rewards at their price",
      tags,
      security,
      params: [customerPath],
      responses: {
        '200': {
          description: 'The customer card',
          schema: obj({ customerId: str, points: anyObject, rewards: { type: 'array' } }),
          example: cardExample,
        },
        '401': unauthorized,
        '404': refusal('No such customer in this shop', 'unknown_customer', 'There is no customer 7001001 in this shop'),
      },
    }),
  },
  '/pos/customers/{customerId}/redemptions': {
    post: operation({
      summary: 'Redeems a reward at the register: one debit per requestKey, a code for the POS cart (and the line a free product adds)',
      tags,
      security,
      params: [customerPath],
      body: {
        schema: requestSchema(posRequests.redemption),
        example: { rewardId: 'free-coffee', requestKey: 'pos-5f2a9c1e', cartSubtotal: 900 },
      },
      responses: {
        '201': {
          description: 'Debited; apply the code to the cart',
          schema: obj({ code: str, pointsSpent: int, balance: int, apply: anyObject }),
          example: redemptionExample,
        },
        '401': unauthorized,
        '404': refusal('No such reward or customer', 'unknown_reward', 'There is no reward free-tea'),
        '409': refusal(
          'Nothing debited: the balance is too small, or this requestKey already redeemed (its code is in the answer)',
          'insufficient_points',
          'Not enough points: Ada Lovelace has 30, Free flat white costs more. Nothing was taken.',
          { balance: 30 },
        ),
        '422': refusal(
          'Not a reward the register applies (free shipping, store credit), or the sale is below its minimum',
          'not_at_register',
          'Free shipping cannot be used at the register: it is redeemed online',
        ),
        '502': refusal(
          'Shopify could not create the code; the points came back',
          'shopify_unavailable',
          'Shopify could not create Free flat white; the points were returned',
        ),
      },
    }),
  },
  '/pos/customers/{customerId}/redemptions/{code}': {
    delete: operation({
      summary: 'Gives a reward back before payment: the code is deactivated and the points return, once',
      tags,
      security,
      params: [customerPath, { name: 'code', in: 'path', schema: { type: 'string', pattern: '^[A-Za-z0-9-]{6,40}$' } }],
      responses: {
        '200': {
          description: 'Given back (also when repeated)',
          schema: obj({ code: str, status: { const: 'cancelled' }, pointsReturned: int, balance: int }),
          example: { code: 'TALLY-7Q2M-XK4D-9PLA', status: 'cancelled', pointsReturned: 50, balance: 355 },
        },
        '401': unauthorized,
        '404': refusal("Not this customer's reward", 'unknown_reward', 'This customer has no such reward'),
        '409': refusal(
          'An order used it already, or it did not come from the register',
          'redemption_used',
          'TALLY-7Q2M-XK4D-9PLA was already used by an order; its points stay spent',
        ),
      },
    }),
  },
  '/pos/customers/{customerId}/adjustments': {
    post: operation({
      summary: "A manual adjustment at the register, within the staff role's limit (program.pos.roles)",
      tags,
      security,
      params: [customerPath],
      body: {
        schema: requestSchema(posRequests.adjustment),
        example: { points: 25, reason: 'Spilt coffee', requestKey: 'pos-adj-8d1c2e' },
      },
      responses: {
        '201': {
          description: 'Adjusted and recorded under the staff member POS names',
          schema: obj({ points: int, reason: str, role: str, staffId: str, balance: int }),
          example: { points: 25, reason: 'Spilt coffee', role: 'Cashier', staffId: '9001', balance: 380 },
        },
        '401': unauthorized,
        '403': refusal(
          'Over the role’s limit',
          'over_adjustment_limit',
          'Cashier staff can adjust at most 100 points at a time; ask a manager for 500',
          { role: 'Cashier', limit: 100 },
        ),
        '409': refusal(
          'Taking more than the balance, or a repeated requestKey; nothing changed',
          'insufficient_points',
          'The balance is 30 points: 50 cannot be taken. Nothing changed.',
          { balance: 30 },
        ),
        '422': invalid('points', 'must not be zero'),
      },
    }),
  },
  '/pos/sales/{orderId}': {
    get: operation({
      summary: 'What a completed sale earned (the post-purchase block), or until when a guest sale may be attached',
      tags,
      security,
      params: [orderPath],
      responses: {
        '200': {
          description: 'Credited, or a guest sale',
          schema: { type: 'object', properties: { status: { enum: ['credited', 'guest'] } }, required: ['status', 'orderId'] },
          example: {
            status: 'credited',
            orderId: '820982911946154508',
            orderName: '#1004',
            customerId: '7001001',
            earned: 9,
            pending: false,
            notes: [],
            pointsSpent: 50,
            balance: 314,
          },
        },
        '401': unauthorized,
        '404': refusal(
          'Not credited yet (orders/paid is on its way)',
          'unknown_sale',
          'Tally has not seen this sale yet; points are credited a moment after payment',
        ),
      },
    }),
  },
  '/pos/sales/{orderId}/customer': {
    post: operation({
      summary: 'Attaches a guest sale to a customer, once per order, within program.pos.guestAttachDays',
      tags,
      security,
      params: [orderPath],
      body: { schema: requestSchema(posRequests.attach), example: { customerId: '7001001' } },
      responses: {
        '201': {
          description: 'Attached and credited',
          schema: attachedSchema,
          example: { ...attachedExample, replayed: false },
        },
        '200': {
          description: 'Already attached to this customer: completed, nothing more credited',
          schema: attachedSchema,
          example: { ...attachedExample, replayed: true },
        },
        '401': unauthorized,
        '404': refusal('No such guest sale or customer', 'unknown_sale', 'There is no guest sale 820982911946154508 from the register'),
        '409': refusal('Attached to another customer already', 'already_attached', '#1005 is already attached to another customer'),
        '422': refusal('The window has closed', 'attach_window_closed', '#1005 could be attached until 2026-10-09'),
      },
    }),
  },
  '/pos/guest-sales': {
    get: operation({
      summary: 'Guest sales still inside the attach window and not attached, newest first',
      tags,
      security,
      responses: {
        '200': {
          description: 'Up to 20 sales',
          schema: obj({ sales: { type: 'array', items: anyObject } }),
          example: {
            sales: [
              {
                orderId: '820982911946154508',
                orderName: '#1005',
                subtotal: '20.00',
                currency: 'USD',
                paidAt: '2026-10-02T09:00:00.000Z',
                attachableUntil: '2026-10-09T09:00:00.000Z',
              },
            ],
          },
        },
        '401': unauthorized,
      },
    }),
  },
  '/api/pos/activity': {
    get: operation({
      summary: 'What staff did at the register, newest first, and the staff seen there with their roles',
      tags: ['admin'],
      security: 'sessionToken',
      params: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } }],
      responses: {
        '200': {
          description: 'Actions and staff',
          schema: obj({ actions: { type: 'array', items: anyObject }, staff: { type: 'array', items: anyObject } }),
          example: {
            actions: [
              {
                shop: 'tally-demo.myshopify.com',
                kind: 'adjust',
                customerId: '7001001',
                userId: '1',
                staffMemberId: '9001',
                roleId: 'cashier',
                points: 25,
                detail: 'Spilt coffee',
                at: '2026-10-02T09:00:00.000Z',
                userName: 'Morgan Reyes',
                staffMemberName: null,
              },
            ],
            staff: [
              { staffId: '1', name: 'Morgan Reyes', roleId: 'manager' },
              { staffId: '9001', name: null, roleId: 'cashier' },
            ],
          },
        },
        '401': errorAnswer('Missing or invalid credentials', 'unauthorized', 'Authorization: Bearer <session token> is required'),
        '422': invalid('limit', 'a number from 1 to 200'),
      },
    }),
  },
};
