import { once } from 'node:events';
import { createRequire } from 'node:module';
import net, { type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';

interface DriverConnection {
  closed: boolean;
  command(namespace: unknown, command: object, options: object): Promise<unknown>;
}

// The driver's own connection class: the patch (scripts/patch-dependencies.mjs) lives in its write path.
const require = createRequire(import.meta.url);
const { Connection } = require('mongodb/lib/cmap/connection.js') as {
  Connection: new (socket: net.Socket, options: { id: number; generation: number }) => DriverConnection;
};
const { ns } = require('mongodb/lib/utils.js') as { ns: (namespace: string) => unknown };

describe('the MongoDB driver as installed (docs/operations.md, "Outages")', () => {
  it('fails a command written to a socket destroyed before it drained, instead of waiting for ever', { timeout: 10_000 }, async () => {
    const server = net.createServer((socket) => socket.resume());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(socket, 'connect');
    const connection = new Connection(socket, { id: 1, generation: 0 });
    // What a server restart does to an open socket: destroyed now, its 'close' event on a later tick.
    socket.destroy();
    await expect(connection.command(ns('admin.$cmd'), { ping: 1 }, {})).rejects.toThrow(/connection 1 to .* closed/);
    expect(connection.closed).toBe(true);
    server.close();
  });
});
