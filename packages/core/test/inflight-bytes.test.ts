import t from 'tap';
import { InflightBytes, bindLease, leaseOf, smallBodyBytes } from '@uig/core';

const MiB = 1024 * 1024;
/** Lets settled promises' callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function tracked(promise: Promise<unknown>) {
  const state = { done: false, error: undefined as unknown };
  promise.then(
    () => (state.done = true),
    (error: unknown) => (state.error = error),
  );
  return state;
}

t.test('bodies that do not fit wait in order and go when bytes are released; none fails', async (t) => {
  const limit = new InflightBytes(4 * MiB);
  const first = limit.lease();
  const second = limit.lease();
  const third = limit.lease();
  await first.reserve(3 * MiB);
  const secondReady = tracked(second.reserve(2 * MiB));
  const thirdReady = tracked(third.reserve(1 * MiB));
  await settle();
  t.equal(limit.held, 3 * MiB);
  t.equal(limit.waiting, 2, 'both wait: the third fits, but does not jump the queue');
  t.notOk(secondReady.done);
  t.notOk(thirdReady.done);
  first.release();
  await settle();
  t.ok(secondReady.done && thirdReady.done, 'both go once the first is released');
  t.equal(limit.held, 3 * MiB);
  second.release();
  third.release();
  third.release();
  t.equal(limit.held, 0, 'a lease releases once');
});

t.test('a body larger than the whole limit goes alone, charged the limit', async (t) => {
  const limit = new InflightBytes(2 * MiB);
  const small = limit.lease();
  await small.reserve(MiB);
  const huge = limit.lease();
  const ready = tracked(huge.reserve(10 * MiB));
  await settle();
  t.notOk(ready.done);
  small.release();
  await settle();
  t.ok(ready.done);
  t.equal(huge.held, 2 * MiB);
});

t.test('small bodies never wait; bytes read past a reservation are counted', async (t) => {
  const limit = new InflightBytes(MiB);
  const full = limit.lease();
  await full.reserve(MiB);
  const small = limit.lease();
  await small.reserve(smallBodyBytes - 1);
  t.equal(limit.held, MiB + smallBodyBytes - 1);
  small.grow(100);
  t.equal(small.held, smallBodyBytes + 99);
  small.release();
  full.release();
  t.equal(limit.held, 0);
});

t.test('an aborted wait leaves the queue and lets the next one through', async (t) => {
  const limit = new InflightBytes(2 * MiB);
  const holder = limit.lease();
  await holder.reserve(2 * MiB);
  const controller = new AbortController();
  const gone = tracked(limit.lease().reserve(MiB, controller.signal));
  const next = limit.lease();
  const nextReady = tracked(next.reserve(MiB));
  controller.abort(new Error('client left'));
  await settle();
  t.match(gone.error, { message: 'client left' });
  t.equal(limit.waiting, 1);
  holder.release();
  await settle();
  t.ok(nextReady.done);
  t.equal(limit.held, MiB);
});

t.test('a reservation that arrives after its lease was released is given back', async (t) => {
  const limit = new InflightBytes(MiB);
  const holder = limit.lease();
  await holder.reserve(MiB);
  const late = limit.lease();
  const ready = late.reserve(MiB);
  late.release();
  holder.release();
  await ready;
  t.equal(limit.held, 0);
});

t.test('a signal finds the lease it was bound to', async (t) => {
  const lease = new InflightBytes(MiB).lease();
  const signal = new AbortController().signal;
  t.equal(leaseOf(signal), undefined);
  bindLease(signal, lease);
  t.equal(leaseOf(signal), lease);
  t.equal(leaseOf(undefined), undefined);
});
