import t from 'tap';
import {
  ContentPolicyError,
  InvalidUpstreamResponseError,
  QuotaExhaustedError,
  RateLimitedError,
  RequestAbortedError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  type ProgressEvent,
} from '@uig/core';
import { cogviewTriggers, tinyPng } from '@uig/testkit';
import { callFor, caught, setup } from './helpers.js';

const glmCall = (overrides = {}) =>
  callFor({ model: 'glm-image', size: { width: 1280, height: 1280 }, ...overrides });

t.test('glm-image creates a task and polls it until SUCCESS', async (t) => {
  const { fake, provider, sleeps } = await setup(t, { fake: { processingPolls: 3 } });
  const events: ProgressEvent[] = [];
  const result = await provider.generate(
    glmCall({ quality: 'hd', onProgress: (event: ProgressEvent) => events.push(event) }),
  );

  const [created] = fake.callsTo('/api/paas/v4/async/images/generations');
  t.same(created!.json, {
    model: 'glm-image',
    prompt: 'a red fox in snow',
    size: '1280x1280',
    quality: 'hd',
  });
  t.equal(created!.headers.authorization, 'Bearer key-id.key-secret');
  t.equal(fake.callsTo('/images/generations').length, 1, 'never the sync endpoint');
  const [task] = [...fake.tasks.values()];
  const polls = fake.requests.filter((request) => request.path === `/api/paas/v4/async-result/${task!.id}`);
  t.equal(polls.length, 4, '3 PROCESSING, then SUCCESS');
  t.ok(
    polls.every((poll) => poll.method === 'GET' && poll.headers.authorization === 'Bearer key-id.key-secret'),
  );
  t.same(sleeps, [5000, 5000, 5000, 5000], 'one 5 s wait before each poll (docs/providers/cogview.md §1.5)');
  t.equal(events.length, 5, 'one on creation, one per poll');
  t.ok(events.every((event) => event.type === 'status'));

  t.equal(result.images.length, 1);
  const image = result.images[0]!;
  t.equal(image.kind, 'url');
  if (image.kind === 'url') t.same(Buffer.from(await (await fetch(image.url)).arrayBuffer()), tinyPng());
  t.equal(result.vendorRequestId, task!.requestId);
  t.same(result.metadata, { task_id: task!.id, content_filter: [{ role: 'assistant', level: 3 }] });
});

t.test('the poll interval comes from the provider settings', async (t) => {
  const { provider, sleeps } = await setup(t, {
    fake: { processingPolls: 1 },
    settings: { options: { pollIntervalMs: 250 } },
  });
  await provider.generate(glmCall());
  t.same(sleeps, [250, 250]);
});

t.test('a FAIL without a reason is an upstream failure that is not retried', async (t) => {
  const { provider } = await setup(t, { fake: { processingPolls: 1 } });
  const error = await caught(t, provider.generate(glmCall({ prompt: cogviewTriggers.taskFailure })));
  t.type(error, UpstreamUnavailableError);
  t.equal(error.vendorCode, 'FAIL');
  t.equal(error.retryable, false);
  t.type(error.vendorRequestId, 'string');
});

t.test('a FAIL that gives a docs/providers/cogview.md §1.6 code is mapped like a sync error', async (t) => {
  const { provider } = await setup(t, { fake: { processingPolls: 0, failedTaskBody: 'with-error' } });
  const error = await caught(t, provider.generate(glmCall({ prompt: cogviewTriggers.unsafeOutput })));
  t.type(error, ContentPolicyError);
  t.equal(error.vendorCode, '1301');
});

t.test('errors at creation come back before any poll', async (t) => {
  const { fake, provider, sleeps } = await setup(t);
  const error = await caught(t, provider.generate(glmCall({ prompt: cogviewTriggers.concurrency })));
  t.type(error, RateLimitedError);
  t.equal(error.retryable, true);
  t.equal(fake.tasks.size, 0);
  // A 200 carrying the docs/providers/cogview.md §1.6 envelope is an error too.
  fake.inject({
    fault: { kind: 'status', status: 200, body: { error: { code: '1113', message: 'balance' } } },
  });
  t.type(await caught(t, provider.generate(glmCall())), QuotaExhaustedError);
  t.same(sleeps, []);
});

t.test('aborting stops the polling', async (t) => {
  const controller = new AbortController();
  const sleeps: number[] = [];
  const { fake, provider } = await setup(t, {
    fake: { processingPolls: 100 },
    settings: {
      // The second wait is where the caller goes away; a real sleep resolves early on abort.
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 2) controller.abort();
      },
    },
  });
  const error = await caught(t, provider.generate(glmCall({ signal: controller.signal })));
  t.type(error, RequestAbortedError);
  t.equal(error.code, 'REQUEST_ABORTED');
  const [task] = [...fake.tasks.values()];
  t.equal(task!.polls, 1, 'no poll after the abort');
});

t.test("core's timeout firing during a wait is an upstream timeout", async (t) => {
  const controller = new AbortController();
  const { provider } = await setup(t, {
    fake: { processingPolls: 100 },
    settings: {
      sleep: async () => {
        const reason = new Error('timed out');
        reason.name = 'TimeoutError';
        controller.abort(reason);
      },
    },
  });
  const error = await caught(t, provider.generate(glmCall({ signal: controller.signal })));
  t.type(error, UpstreamTimeoutError);
});

t.test('polling gives up at the deadline, without retry', async (t) => {
  let clock = 0;
  const { fake, provider } = await setup(t, {
    fake: { processingPolls: 100 },
    settings: {
      options: { pollIntervalMs: 1000, pollTimeoutMs: 3000 },
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    },
  });
  const error = await caught(t, provider.generate(glmCall()));
  t.type(error, UpstreamTimeoutError);
  t.equal(error.retryable, false);
  t.equal([...fake.tasks.values()][0]!.polls, 3);
});

t.test('a poll the vendor refuses (unknown task) is an invalid upstream response', async (t) => {
  const { fake, provider } = await setup(t, { fake: { processingPolls: 3 } });
  fake.failWith('1214', { after: 1, match: (request) => request.path.includes('/async-result/') });
  const error = await caught(t, provider.generate(glmCall()));
  t.type(error, InvalidUpstreamResponseError);
  t.equal(error.vendorCode, '1214');
});

t.test('a poll answer without task_status, or SUCCESS without an image, is invalid', async (t) => {
  const { fake, provider } = await setup(t, { fake: { processingPolls: 0 } });
  fake.inject({
    fault: { kind: 'status', status: 200, body: { id: 'x' } },
    match: (request) => request.path.includes('/async-result/'),
  });
  t.type(await caught(t, provider.generate(glmCall())), InvalidUpstreamResponseError);
  fake.inject({
    fault: { kind: 'status', status: 200, body: { id: 'x', task_status: 'SUCCESS', image_result: [] } },
    match: (request) => request.path.includes('/async-result/'),
  });
  t.type(await caught(t, provider.generate(glmCall())), InvalidUpstreamResponseError);
  fake.inject({ fault: { kind: 'malformed-json' }, match: (request) => request.path.includes('/async/') });
  t.type(await caught(t, provider.generate(glmCall())), InvalidUpstreamResponseError);
});

t.test('a reset while polling is a retryable upstream failure', async (t) => {
  const { fake, provider } = await setup(t, { fake: { processingPolls: 2 } });
  fake.inject({
    fault: { kind: 'reset' },
    after: 1,
    match: (request) => request.path.includes('/async-result/'),
  });
  const error = await caught(t, provider.generate(glmCall()));
  t.type(error, UpstreamUnavailableError);
  t.equal(error.retryable, true);
});
