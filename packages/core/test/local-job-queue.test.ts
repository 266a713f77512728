import t, { type Test } from 'tap';
import {
  ClientLimiter,
  createJobRunner,
  CredentialPool,
  FileImageStore,
  ImageService,
  isFinished,
  LocalJobQueue,
  ModelRegistry,
  newJobId,
  type JobQueue,
  type JobRecord,
  type JobResult,
} from '@uig/core';
import { FileJobStore } from '../src/jobs/file-job-store.js';
import { model, pngResult, scriptedProvider } from './helpers.js';

/**
 * docs/architecture.md, "Jobs": the embedded queue keeps records under the data folder,
 * so finished results survive a restart, and drops them jobs.ttlHours after they end;
 * "The resume rule": a run that finds an earlier run inside a call without a vendor task
 * id ends INTERRUPTED without calling the vendor, unless jobs.retryInterrupted.
 */
const result: JobResult = {
  requestId: 'job',
  created: 0,
  model: 'alpha/one',
  provider: 'alpha',
  images: [],
  warnings: [],
  usage: { images: 0, estimatedCostUsd: 0 },
  vendorRequestIds: [],
  metadata: [],
};

const newJob = {
  client: 'anonymous',
  request: { kind: 'generate' as const, prompt: 'a cat', n: 1, images: [], providerOptions: {} },
  origin: {},
};

async function settled(queue: JobQueue, id: string): Promise<JobRecord> {
  for (let tries = 0; tries < 200; tries++) {
    const job = await queue.get(id);
    if (job && isFinished(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${id} did not finish`);
}

t.test('a finished record survives a restart and is dropped ttl after it ends', async (t) => {
  const dataDir = t.testdir();
  let now = 1_000_000;
  const options = { dataDir, concurrency: 2, ttlMs: 60_000, pollMs: 10, closeGraceMs: 0, now: () => now };
  const first = new LocalJobQueue(options);
  await first.start(async () => result);
  const job = await first.submit(newJob);
  t.equal((await settled(first, job.id)).status, 'succeeded');
  await first.close();

  const second = new LocalJobQueue(options);
  t.teardown(() => second.close());
  await second.start(async () => result);
  t.match(
    await second.get(job.id),
    { status: 'succeeded', result: { model: 'alpha/one' } },
    'read back after a restart',
  );
  t.same(
    (await second.list('anonymous', 10)).map((record) => record.id),
    [job.id],
  );

  // The sweep runs once a minute (by the queue's clock): past the ttl, the record goes.
  now += 59_000;
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.ok(await second.get(job.id), 'kept within the ttl');
  now += 62_000;
  let gone = false;
  for (let tries = 0; tries < 100 && !gone; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    gone = (await second.get(job.id)) === undefined;
  }
  t.ok(gone, 'dropped once ttl passed after it ended');
  t.same(await second.list('anonymous', 10), []);
});

/** The state a process killed inside a synchronous vendor call leaves: running, a call without task id. */
async function interruptedJob(dataDir: string): Promise<string> {
  const store = new FileJobStore(dataDir, 30_000);
  await store.init();
  const now = Date.now();
  const id = newJobId();
  await store.create({
    ...newJob,
    id,
    request: { ...newJob.request, model: 'alpha/one' },
    status: 'running',
    createdAt: now,
    startedAt: now,
    updatedAt: now,
    calls: { 'alpha/one#0': { credential: 'alpha#1' } },
    runs: 1,
  });
  return id;
}

function runner(t: Test, dataDir: string, retryInterrupted: boolean) {
  const { provider, calls } = scriptedProvider('alpha', [model('one')], [() => pngResult()]);
  const store = new FileImageStore(dataDir);
  const service = new ImageService({
    registry: new ModelRegistry([{ provider, type: provider.id }]),
    pools: new Map([
      ['alpha', new CredentialPool({ provider: 'alpha', credentials: [{ id: 'alpha#1', apiKey: 'key-1' }] })],
    ]),
    store,
    retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    fallbacks: {},
    upstreamTimeoutMs: 5000,
    downloadMaxBytes: 1024 * 1024,
    downloadTimeoutMs: 5000,
  });
  const work = createJobRunner({
    service,
    store,
    limiter: new ClientLimiter(),
    clientNamed: () => undefined,
    retryInterrupted,
  });
  return { work, calls };
}

for (const retryInterrupted of [false, true]) {
  t.test(`a job left inside a synchronous vendor call, retryInterrupted ${retryInterrupted}`, async (t) => {
    const dataDir = t.testdir();
    const id = await interruptedJob(dataDir);
    const { work, calls } = runner(t, dataDir, retryInterrupted);
    const queue = new LocalJobQueue({ dataDir, concurrency: 1, ttlMs: 60_000, pollMs: 10, closeGraceMs: 0 });
    t.teardown(() => queue.close());
    await queue.start(work);
    const done = await settled(queue, id);
    if (retryInterrupted) {
      t.equal(done.status, 'succeeded', 'run again');
      t.equal(calls.length, 1, 'the vendor was called again');
    } else {
      t.equal(done.status, 'failed');
      t.equal(done.error?.code, 'INTERRUPTED');
      t.equal(calls.length, 0, 'the vendor was not called twice');
    }
    t.equal(done.runs, 2);
  });
}

t.test('a queue runs at most jobs.concurrency jobs at once; the rest wait their turn', async (t) => {
  const queue = new LocalJobQueue({
    dataDir: t.testdir(),
    concurrency: 2,
    ttlMs: 60_000,
    pollMs: 10,
    closeGraceMs: 0,
  });
  t.teardown(() => queue.close());
  let running = 0;
  let most = 0;
  const gates: Array<() => void> = [];
  await queue.start(async () => {
    running++;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => gates.push(resolve));
    running--;
    return result;
  });
  const jobs = await Promise.all([1, 2, 3, 4].map(() => queue.submit(newJob)));
  for (let tries = 0; tries < 100 && gates.length < 2; tries++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(running, 2, 'two run');
  const waiting = await Promise.all(jobs.map((job) => queue.get(job.id)));
  t.equal(waiting.filter((job) => job?.status === 'queued').length, 2, 'two wait, queued');
  while (gates.length || running) {
    gates.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (const job of jobs) t.equal((await settled(queue, job.id)).status, 'succeeded');
  t.equal(most, 2, 'never more than two at once');
});
