// The durable floor: the least a webhook endpoint that stores before it answers can do on this
// machine and this database: read the body, verify the HMAC, insert the delivery under a unique
// (shop, event id) and answer 200 (a duplicate is "already have it"). The app's acknowledgement is
// reported as a ratio of this, measured in the same run against the same server.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoClient, MongoServerError } from 'mongodb';
import { DRIVER_POOL_SIZE } from '../server/platform/database/connection.js';

const secret = process.env.SHOPIFY_API_SECRET ?? '';
const client = await MongoClient.connect(process.env.MONGODB_URI ?? '', { maxPoolSize: DRIVER_POOL_SIZE });
const deliveries = client.db(`bench_floor_${Date.now()}`).collection('deliveries');
await deliveries.createIndex({ shop: 1, eventId: 1 }, { unique: true });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const expected = createHmac('sha256', secret).update(body).digest();
    const given = Buffer.from(String(req.headers['x-shopify-hmac-sha256'] ?? ''), 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.writeHead(401).end();
    deliveries
      .insertOne({
        shop: String(req.headers['x-shopify-shop-domain']),
        eventId: String(req.headers['x-shopify-event-id']),
        topic: String(req.headers['x-shopify-topic']),
        body: body.toString(),
        receivedAt: new Date(),
      })
      .then(
        () => res.writeHead(200).end(),
        (error: unknown) => res.writeHead(error instanceof MongoServerError && error.code === 11000 ? 200 : 503).end(),
      );
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: 'Tally listening (durable floor)', open: [`http://127.0.0.1:${port}/`] }));
});
process.on('SIGTERM', () => server.close(() => void client.close().then(() => process.exit(0))));
