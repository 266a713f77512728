import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { realSleep, type RequestRecord } from '@uig/core';
import { createDashScopeFake, dashScopeTriggers, type DashScopeFake } from '@uig/testkit';
import { startGateway } from './helpers.js';

interface Job {
  id: string;
  object: string;
  status: string;
  progress: { message: string } | null;
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

const model = 'wanx/wanx2.1-t2i-turbo';

async function wanxGateway(t: Test, fakeOptions: Parameters<typeof createDashScopeFake>[0] = {}, env = {}) {
  const fake = await createDashScopeFake(fakeOptions).start();
  t.teardown(() => fake.close());
  const gateway = await startGateway(
    t,
    { DASHSCOPE_API_KEY: 'sk-dash', DASHSCOPE_BASE_URL: fake.apiBaseURL, ...env },
    {
      listen: true,
      configFile: { providers: { wanx: { options: { pollInitialIntervalMs: 10, pollMaxIntervalMs: 20 } } } },
      runtime: { sleep: (ms, signal) => realSleep(Math.min(ms, 10), signal), jobPollMs: 50 },
    },
  );
  return { fake, ...gateway };
}

async function call(url: string, path: string, init: RequestInit & { key?: string } = {}) {
  const { key, ...rest } = init;
  const response = await fetch(`${url}${path}`, {
    ...rest,
    headers: {
      ...(rest.body ? { 'content-type': 'application/json' } : {}),
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(rest.headers as Record<string, string> | undefined),
    },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const submit = (url: string, body: Record<string, unknown>, key?: string, path = '/v1/images') =>
  call(url, path, {
    method: 'POST',
    headers: { prefer: 'respond-async' },
    body: JSON.stringify(body),
    ...(key ? { key } : {}),
  });

async function until(url: string, id: string, done: (job: Job) => boolean, key?: string): Promise<Job> {
  for (let tries = 0; tries < 400; tries++) {
    const { body } = await call(url, `/v1/jobs/${id}`, key ? { key } : {});
    if (done(body as Job)) return body as Job;
    await realSleep(25);
  }
  throw new Error(`job ${id} never got there`);
}

const finished = (job: Job) => ['succeeded', 'failed', 'cancelled'].includes(job.status);

t.test(
  'Prefer: respond-async answers 202 at once, then the job succeeds with the synchronous body',
  async (t) => {
    const { url, fake } = await wanxGateway(t, { pendingPolls: 3, runningPolls: 3 });
    const submitted = await submit(url, { model, prompt: 'a lighthouse', n: 2 });
    t.equal(submitted.status, 202);
    t.equal(submitted.headers.get('preference-applied'), 'respond-async');
    const job = submitted.body as Job;
    t.match(job, { object: 'image.job', status: 'queued', result: null, error: null });
    t.match(job.id, /^job_[a-f0-9]{24}$/);
    t.equal(submitted.headers.get('location'), `/v1/jobs/${job.id}`);

    const done = await until(url, job.id, finished);
    t.equal(done.status, 'succeeded');
    t.match(done.result, {
      model,
      provider: 'wanx',
      data: [{ mime_type: 'image/png' }, { mime_type: 'image/png' }],
      usage: { images: 2 },
    });
    const image = await fetch((done.result!.data as { url: string }[])[0]!.url);
    t.equal(image.status, 200, 'the signed URL in the result works');
    t.equal(fake.tasks.size, 1, 'one vendor task');
  },
);

t.test('the OpenAI route answers its own shape in result, b64_json included', async (t) => {
  const { url } = await wanxGateway(t);
  const submitted = await submit(
    url,
    { model, prompt: 'a lighthouse', response_format: 'b64_json' },
    undefined,
    '/v1/images/generations',
  );
  t.equal(submitted.status, 202);
  const done = await until(url, (submitted.body as Job).id, finished);
  const data = (done.result as { data: { b64_json: string }[] }).data;
  t.equal(Buffer.from(data[0]!.b64_json, 'base64').subarray(1, 4).toString(), 'PNG');
  t.notOk('provider' in done.result!, 'OpenAI shape, not the native one');
});

t.test('events: the state first, then progress, then completed', async (t) => {
  const { url } = await wanxGateway(t, { pendingPolls: 4, runningPolls: 4 });
  const job = (await submit(url, { model, prompt: 'a lighthouse' })).body as Job;
  const response = await fetch(`${url}/v1/jobs/${job.id}/events`);
  t.match(response.headers.get('content-type'), /text\/event-stream/);
  const events = (await response.text())
    .split('\n\n')
    .filter(Boolean)
    .map((block) => ({
      event: /^event: (.+)$/m.exec(block)![1]!,
      data: JSON.parse(/^data: (.+)$/m.exec(block)![1]!) as Record<string, unknown>,
    }));
  const names = events.map((event) => event.event);
  t.equal(names[0], 'job');
  t.equal(names.at(-1), 'completed');
  t.ok(names.filter((name) => name === 'progress').length >= 2, 'progress events in between');
  t.match(events.at(-1)!.data, { model, data: [{ mime_type: 'image/png' }] });

  // A late subscriber to a finished job gets its state and the result, and the stream ends.
  const late = await (await fetch(`${url}/v1/jobs/${job.id}/events`)).text();
  t.match(late, /^event: job\n[\s\S]*event: completed\n/);
});

t.test('DELETE cancels the job and the pending vendor task', async (t) => {
  const { url, fake } = await wanxGateway(t);
  const job = (await submit(url, { model, prompt: `stuck ${dashScopeTriggers.stuckPending}` })).body as Job;
  await until(url, job.id, (current) => current.status === 'running' && (fake.lastTask?.polls ?? 0) > 0);
  const deleted = await call(url, `/v1/jobs/${job.id}`, { method: 'DELETE' });
  t.equal(deleted.status, 200);
  t.equal((deleted.body as Job).status, 'cancelled');
  t.equal((deleted.body as Job).error?.code, 'cancelled');
  t.equal(fake.lastTask?.canceled, true, 'the vendor task was cancelled');
  t.equal(fake.requests.filter((request) => request.path.endsWith('/cancel')).length, 1);
});

t.test('a failed job carries the error envelope; the ledger has one line per job', async (t) => {
  const { url, runtime } = await wanxGateway(t);
  const good = (await submit(url, { model, prompt: 'fine' })).body as Job;
  const bad = (await submit(url, { model, prompt: dashScopeTriggers.taskFailed('DataInspectionFailed') }))
    .body as Job;
  const failed = await until(url, bad.id, finished);
  await until(url, good.id, finished);
  t.equal(failed.status, 'failed');
  t.match(failed.error, { code: 'content_policy_violation', message: String });
  // The job's ledger record is written before its final state: no waiting for the line.
  const lines = readFileSync(join(runtime.config.dataDir, 'usage.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RequestRecord);
  t.match(
    lines.filter((line) => line.requestId === good.id),
    [{ route: '/v1/images', status: 200, images: 1, imagesAsked: 1, vendorCalls: 1, provider: 'wanx' }],
  );
  t.match(
    lines.filter((line) => line.requestId === bad.id),
    [{ route: '/v1/images', status: 400, errorCode: 'content_policy_violation', images: 0, vendorCalls: 1 }],
  );
  t.equal(lines.length, 2, 'the 202 answers themselves are not records: each job is one');
});

t.test('a job belongs to its key: another key gets 404 and does not see it in the list', async (t) => {
  const { url } = await wanxGateway(t, {}, { UIG_API_KEYS: 'key-one,key-two' });
  const job = (await submit(url, { model, prompt: 'mine' }, 'key-one')).body as Job;
  for (const [method, path] of [
    ['GET', `/v1/jobs/${job.id}`],
    ['GET', `/v1/jobs/${job.id}/events`],
    ['DELETE', `/v1/jobs/${job.id}`],
  ] as const) {
    const other = await call(url, path, { method, key: 'key-two' });
    t.equal(other.status, 404, `${method} ${path}`);
    t.equal((other.body as { error: { code: string } }).error.code, 'job_not_found');
  }
  t.equal((await call(url, `/v1/jobs/${job.id}`)).status, 401, 'no key at all');
  t.same((await call(url, '/v1/jobs', { key: 'key-two' })).body, { object: 'list', data: [] });
  const mine = await call(url, '/v1/jobs', { key: 'key-one' });
  t.same(
    (mine.body as { data: Job[] }).data.map((entry) => entry.id),
    [job.id],
  );
  await until(url, job.id, finished, 'key-one');
});

t.test('limits apply at submission, and bad input is refused before any job exists', async (t) => {
  const { url } = await wanxGateway(t, {}, {});
  t.equal((await submit(url, { model, prompt: 'x', bogus: 1 })).status, 400);
  const streamed = await submit(url, { model, prompt: 'x', stream: true });
  t.equal(streamed.status, 400);
  t.equal((streamed.body as { error: { param: string } }).error.param, 'stream');
  t.equal((await submit(url, { model: 'nope/nothing', prompt: 'x' })).status, 404);
  t.equal((await call(url, '/v1/jobs/job_0123456789abcdef01234567')).status, 404);
  t.equal((await call(url, '/v1/jobs/not-a-job')).status, 404);
  t.equal((await call(url, '/v1/jobs?limit=0')).status, 400);
  t.same((await call(url, '/v1/jobs')).body, { object: 'list', data: [] });
});

t.test('rpm is spent at submission', async (t) => {
  const fake: DashScopeFake = await createDashScopeFake().start();
  t.teardown(() => fake.close());
  const { url } = await startGateway(
    t,
    { DASHSCOPE_API_KEY: 'sk-dash', DASHSCOPE_BASE_URL: fake.apiBaseURL },
    {
      listen: true,
      configFile: { clients: [{ name: 'slow', key: 'key-slow', limits: { rpm: 1 } }] },
      runtime: { sleep: (ms, signal) => realSleep(Math.min(ms, 10), signal), jobPollMs: 50 },
    },
  );
  const first = await submit(url, { model, prompt: 'one' }, 'key-slow');
  t.equal(first.status, 202);
  const second = await submit(url, { model, prompt: 'two' }, 'key-slow');
  t.equal(second.status, 429);
  t.equal(second.headers.get('x-ratelimit-remaining-requests'), '0');
  await until(url, (first.body as Job).id, finished, 'key-slow');
});
