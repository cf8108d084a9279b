// Runs after `npm install` / `npm ci`: fixes a hang in the MongoDB driver that the test
// "the database stops for 10 s under webhook load" caught (docs/operations.md, "Database restarts").
//
// The driver writes a command and, when the socket's buffer is full, waits for 'drain'. A socket
// destroyed by the server's restart at that moment never drains, and the connection's close does not
// end the wait: the command hangs for good. When that command is the server monitor's heartbeat, the
// monitor never checks again and the app never reconnects (measured: 1 outage in about 15 stuck the
// client until restart). The patch ends the wait when the connection closes, with the network error
// the driver uses for a closed connection, so the operation is retried or fails like any other.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const driverRoot = path.dirname(require.resolve('mongodb/package.json'));
const { version } = JSON.parse(readFileSync(path.join(driverRoot, 'package.json'), 'utf8'));
const file = path.join(driverRoot, 'lib', 'cmap', 'connection.js');
const MARKER = 'tally: a destroyed socket never drains';

const original = `        const drainEvent = (0, utils_1.once)(this.socket, 'drain', options);
        const timeout = options?.timeoutContext?.timeoutForSocketWrite;
        const drained = timeout ? Promise.race([drainEvent, timeout]) : drainEvent;
        try {
            return await drained;
        }`;
const patched = `        const drainEvent = (0, utils_1.once)(this.socket, 'drain', options);
        // ${MARKER}: the connection's close ends the wait.
        const closeWatch = new AbortController();
        const closedEvent = this.closed
            ? Promise.resolve()
            : (0, utils_1.once)(this, Connection.CLOSE, { signal: closeWatch.signal });
        const closed = closedEvent.then(() => {
            throw this.error ?? new error_1.MongoNetworkError(\`connection \${this.id} to \${this.address} closed\`);
        });
        closed.catch(utils_1.squashError);
        const timeout = options?.timeoutContext?.timeoutForSocketWrite;
        const drained = Promise.race(timeout ? [drainEvent, closed, timeout] : [drainEvent, closed]);
        try {
            return await drained;
        }`;
const originalFinally = `        finally {
            timeout?.clear();
        }
    }
    /**
     * @internal
     *
     * Returns an async generator`;
const patchedFinally = `        finally {
            timeout?.clear();
            closeWatch.abort();
        }
    }
    /**
     * @internal
     *
     * Returns an async generator`;

const source = readFileSync(file, 'utf8');
if (source.includes(MARKER)) {
  console.log(`patch-dependencies: mongodb ${version} already patched`);
} else if (source.includes(original) && source.includes(originalFinally)) {
  writeFileSync(file, source.replace(original, patched).replace(originalFinally, patchedFinally));
  console.log(`patch-dependencies: patched mongodb ${version} (a write waiting for 'drain' ends when its connection closes)`);
} else {
  console.error(
    `patch-dependencies: mongodb ${version}'s lib/cmap/connection.js no longer has the code this patch replaces.` +
      ' Check whether the driver now ends a drain wait when the connection closes, then update or remove scripts/patch-dependencies.mjs.',
  );
  process.exit(1);
}
