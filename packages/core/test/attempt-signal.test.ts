import t from 'tap';
import { attemptSignal } from '@uig/core';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

t.test("the caller going away aborts the attempt with the caller's reason", async (t) => {
  const parent = new AbortController();
  const { signal, dispose } = attemptSignal(parent.signal, 60_000);
  parent.abort(new Error('gone'));
  t.equal(signal.aborted, true);
  t.equal((signal.reason as Error).message, 'gone');
  dispose();
});

t.test('running out of time aborts with a TimeoutError (core maps it to a retryable 504)', async (t) => {
  const { signal, dispose } = attemptSignal(new AbortController().signal, 5);
  await tick(30);
  t.equal(signal.aborted, true);
  t.equal((signal.reason as Error).name, 'TimeoutError');
  dispose();
});

t.test("dispose lets go: no later timeout, no listener left on the caller's signal", async (t) => {
  const parent = new AbortController();
  const { signal, dispose } = attemptSignal(parent.signal, 5);
  dispose();
  await tick(30);
  parent.abort();
  t.equal(signal.aborted, false);
});

t.test('an already cancelled caller gives an already aborted attempt', async (t) => {
  const parent = new AbortController();
  parent.abort();
  t.equal(attemptSignal(parent.signal, 1000).signal.aborted, true);
});
