// The floor: the least a webhook endpoint can do on this machine (read the body, verify the
// HMAC, answer 200). Benchmarks report the app as a ratio of this, measured in the same run.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const secret = process.env.SHOPIFY_API_SECRET ?? '';
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const expected = createHmac('sha256', secret).update(Buffer.concat(chunks)).digest();
    const given = Buffer.from(String(req.headers['x-shopify-hmac-sha256'] ?? ''), 'base64');
    const valid = given.length === expected.length && timingSafeEqual(given, expected);
    res.writeHead(valid ? 200 : 401).end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: 'Tally listening (floor)', open: [`http://127.0.0.1:${port}/`] }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
