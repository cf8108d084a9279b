import { describe, expect, it } from 'vitest';
import { ackGate } from '../../server/inbox/ack-gate.js';

describe('ack gate: acknowledgements before new inbox work', () => {
  it('is clear at once when nothing is being stored', async () => {
    const gate = ackGate();
    let cleared = false;
    await gate.clear(10_000).then(() => (cleared = true));
    expect(cleared).toBe(true);
  });

  it('holds the worker while deliveries are being stored and lets it go when the last one is done', async () => {
    const gate = ackGate();
    const first = gate.storing();
    const second = gate.storing();
    let cleared = false;
    const waiting = gate.clear(10_000).then(() => (cleared = true));
    first();
    first();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cleared).toBe(false);
    second();
    await waiting;
    expect(cleared).toBe(true);
  });

  it('never holds the worker longer than its bound under sustained load', async () => {
    const gate = ackGate();
    gate.storing();
    let cleared = false;
    const waiting = gate.clear(30).then(() => (cleared = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(cleared).toBe(false);
    await waiting;
    expect(cleared).toBe(true);
  });
});
