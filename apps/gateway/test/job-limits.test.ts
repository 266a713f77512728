import t from 'tap';
import { realSleep, solidPng } from '@uig/core';
import { createDashScopeFake, dashScopeTriggers } from '@uig/testkit';
import { startGateway } from './helpers.js';

/**
 * docs/api.md, "Jobs": the edits route takes `Prefer: respond-async` too; a key's images
 * per day are spent at submission, its concurrency while its jobs run (a job over it
 * waits its turn, it is not refused).
 */
interface Job {
  id: string;
  status: string;
  result: Record<string, unknown> | null;
  error: { code: string } | null;
}

const fastRuntime = {
  sleep: (ms: number, signal?: AbortSignal) => realSleep(Math.min(ms, 10), signal),
  jobPollMs: 50,
};

async function getJob(url: string, id: string, key: string): Promise<Job> {
  const response = await fetch(`${url}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${key}` } });
  return (await response.json()) as Job;
}

async function until(url: string, id: string, key: string, done: (job: Job) => boolean): Promise<Job> {
  for (let tries = 0; tries < 400; tries++) {
    const job = await getJob(url, id, key);
    if (done(job)) return job;
    await realSleep(25);
  }
  throw new Error(`job ${id} never got there`);
}

const finished = (job: Job) => ['succeeded', 'failed', 'cancelled'].includes(job.status);

async function submit(url: string, key: string, body: Record<string, unknown>) {
  const response = await fetch(`${url}/v1/images`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, prefer: 'respond-async', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Job & { error: { code: string } } };
}

t.test(
  'POST /v1/images/edits (multipart) with Prefer: respond-async is a job with the edit body',
  async (t) => {
    const { url } = await startGateway(
      t,
      { UIG_API_KEYS: 'key-one' },
      { listen: true, runtime: fastRuntime },
    );
    const form = new FormData();
    form.append('prompt', 'make it blue');
    form.append('image', new Blob([solidPng(32, 32, [255, 0, 0, 255])], { type: 'image/png' }), 'in.png');
    const response = await fetch(`${url}/v1/images/edits`, {
      method: 'POST',
      headers: { authorization: 'Bearer key-one', prefer: 'respond-async' },
      body: form,
    });
    t.equal(response.status, 202);
    const job = (await response.json()) as Job;
    t.equal(response.headers.get('location'), `/v1/jobs/${job.id}`);
    const done = await until(url, job.id, 'key-one', finished);
    t.equal(done.status, 'succeeded');
    t.match(done.result, { data: [{ b64_json: String }] }, "OpenAI's edit answer");
  },
);

t.test('images per day are spent at submission', async (t) => {
  const { url } = await startGateway(
    t,
    {},
    {
      listen: true,
      configFile: { clients: [{ name: 'daily', key: 'key-day', limits: { imagesPerDay: 2 } }] },
      runtime: fastRuntime,
    },
  );
  const first = await submit(url, 'key-day', { prompt: 'two cats', n: 2 });
  t.equal(first.status, 202);
  const second = await submit(url, 'key-day', { prompt: 'one more' });
  t.equal(second.status, 429, 'over the day before any job exists');
  t.equal(second.body.error.code, 'rate_limit_exceeded');
  await until(url, first.body.id, 'key-day', finished);
});

t.test('concurrency applies while jobs run: the second job waits for the first', async (t) => {
  const fake = await createDashScopeFake({ pendingPolls: 2, runningPolls: 2 }).start();
  t.teardown(() => fake.close());
  const { url } = await startGateway(
    t,
    { DASHSCOPE_API_KEY: 'sk-dash', DASHSCOPE_BASE_URL: fake.apiBaseURL },
    {
      listen: true,
      configFile: {
        providers: { wanx: { options: { pollInitialIntervalMs: 10, pollMaxIntervalMs: 20 } } },
        clients: [{ name: 'one-at-a-time', key: 'key-one', limits: { concurrency: 1 } }],
      },
      runtime: fastRuntime,
    },
  );
  const model = 'wanx/wanx2.1-t2i-turbo';
  const first = await submit(url, 'key-one', { model, prompt: `stuck ${dashScopeTriggers.stuckPending}` });
  const second = await submit(url, 'key-one', { model, prompt: 'next' });
  t.equal(first.status, 202);
  t.equal(second.status, 202, 'admitted: concurrency is not checked at submission');
  await until(url, first.body.id, 'key-one', () => fake.tasks.size === 1);
  await realSleep(300);
  t.equal(fake.tasks.size, 1, 'the second job has not reached the vendor');
  t.notOk(finished(await getJob(url, second.body.id, 'key-one')), 'it waits, it is not refused');

  await fetch(`${url}/v1/jobs/${first.body.id}`, {
    method: 'DELETE',
    headers: { authorization: 'Bearer key-one' },
  });
  const done = await until(url, second.body.id, 'key-one', finished);
  t.equal(done.status, 'succeeded', 'it ran once the first ended');
  t.equal(fake.tasks.size, 2);
});
