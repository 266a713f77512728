import t from 'tap';
import {
  JobSuspendedError,
  RequestAbortedError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '@uig/core';
import { falRequests, falTriggers } from '@uig/testkit';
import { callFor, caught, setup } from './helpers.js';

t.test('resuming polls the earlier request by id and submits nothing', async (t) => {
  const { fake, provider, sleeps } = await setup(t, { fake: { queuePolls: 3 } });
  // The earlier attempt: a process that submitted, reported the id, and died.
  const submitted = await fetch(`${fake.url}/fal-ai/flux/dev`, {
    method: 'POST',
    headers: { authorization: 'Key fal-key-1', 'content-type': 'application/json' },
    body: JSON.stringify({
      prompt: 'a red fox in snow',
      image_size: { width: 1024, height: 1024 },
      num_images: 1,
    }),
  });
  const { request_id: requestId } = (await submitted.json()) as { request_id: string };
  const taskIds: string[] = [];
  const result = await provider.generate(
    callFor({ resumeTaskId: requestId, onTaskId: (id) => taskIds.push(id) }),
  );
  t.equal(result.vendorRequestId, requestId);
  t.equal(result.images.length, 1);
  t.equal(fake.requests.filter(falRequests.submit).length, 1, 'no second submit');
  t.same(taskIds, [], 'a resumed request is not reported again');
  t.equal(
    sleeps.length,
    fake.queued.get(requestId)!.polls - 1,
    'the first poll of a resumed request goes at once',
  );
});

t.test('resuming a request the vendor no longer knows is a retryable failure', async (t) => {
  const { provider } = await setup(t);
  const error = await caught(t, provider.generate(callFor({ resumeTaskId: 'gone' })));
  t.type(error, UpstreamUnavailableError);
  t.equal(error.vendorCode, 'NOT_FOUND');
  t.equal(error.retryable, true);
});

t.test('aborting cancels the request at the vendor', async (t) => {
  const controller = new AbortController();
  let sleeps = 0;
  const { fake, provider } = await setup(t, {
    fake: { queuePolls: 100 },
    settings: {
      sleep: async () => {
        if (++sleeps === 2) controller.abort();
      },
    },
  });
  const error = await caught(t, provider.generate(callFor({ signal: controller.signal })));
  t.type(error, RequestAbortedError);
  const [request] = [...fake.queued.values()];
  const cancels = fake.requests.filter(falRequests.cancel);
  t.equal(cancels.length, 1);
  t.equal(cancels[0]!.path, `/fal-ai/flux/requests/${request!.id}/cancel`, 'PUT under owner/app');
  t.equal(cancels[0]!.headers.authorization, 'Key fal-key-1');
  t.equal(request!.canceled, true);
  t.equal(request!.polls, 1, 'no poll after the abort');
});

t.test('the deadline gives up without retry and cancels', async (t) => {
  let clock = 0;
  const { fake, provider } = await setup(t, {
    settings: {
      options: { pollIntervalMs: 1000, requestDeadlineMs: 3000 },
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    },
  });
  const error = await caught(t, provider.generate(callFor({ prompt: falTriggers.stuck })));
  t.type(error, UpstreamTimeoutError);
  t.equal(error.retryable, false);
  t.equal([...fake.queued.values()][0]!.polls, 3);
  t.equal(fake.requests.filter(falRequests.cancel).length, 1);
});

t.test('a few failed polls are tolerated; more end the wait without a retry', async (t) => {
  const { fake, provider } = await setup(t, { fake: { queuePolls: 1 } });
  fake.inject({ fault: { kind: 'reset' }, times: 2, match: falRequests.status });
  fake.inject({ fault: { kind: 'status', status: 502, body: {} }, times: 1, match: falRequests.status });
  const result = await provider.generate(callFor());
  t.equal(result.images.length, 1, 'two resets and a 502 in a row are survived');

  fake.inject({ fault: { kind: 'status', status: 503, body: {} }, times: 10, match: falRequests.status });
  const error = await caught(t, provider.generate(callFor()));
  t.type(error, UpstreamUnavailableError);
  t.equal(error.retryable, false, 'the request may still run: no second submit');
});

t.test('a CANCELED status (someone else cancelled it) is a failure that is not retried', async (t) => {
  const { fake, provider } = await setup(t, { fake: { queuePolls: 5 } });
  fake.inject({
    fault: { kind: 'status', status: 200, body: { status: 'CANCELED' } },
    after: 1,
    match: falRequests.status,
  });
  const error = await caught(t, provider.generate(callFor()));
  t.type(error, UpstreamUnavailableError);
  t.equal(error.retryable, false);
});

t.test('a suspended job (shutdown) stops polling but leaves the request to be resumed', async (t) => {
  const controller = new AbortController();
  let sleeps = 0;
  const { fake, provider } = await setup(t, {
    fake: { queuePolls: 100 },
    settings: {
      sleep: async () => {
        if (++sleeps === 2) controller.abort(new JobSuspendedError());
      },
    },
  });
  await caught(t, provider.generate(callFor({ signal: controller.signal })));
  t.equal(fake.requests.filter(falRequests.cancel).length, 0, 'not cancelled');
  t.equal([...fake.queued.values()][0]!.canceled, false);
});
