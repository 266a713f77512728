import t from 'tap';
import {
  JobSuspendedError,
  RequestAbortedError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '@uig/core';
import { replicateRequests, replicateTriggers } from '@uig/testkit';
import { callFor, caught, setup } from './helpers.js';

t.test('resuming polls the earlier prediction and creates nothing', async (t) => {
  const { fake, provider, sleeps } = await setup(t, { fake: { pollsUntilDone: 2 } });
  const created = await fetch(`${fake.apiBaseURL}/models/black-forest-labs/flux-schnell/predictions`, {
    method: 'POST',
    headers: { authorization: 'Bearer r8_token', 'content-type': 'application/json' },
    body: JSON.stringify({ input: { prompt: 'a red fox in snow' } }),
  });
  const { id } = (await created.json()) as { id: string };
  const taskIds: string[] = [];
  const result = await provider.generate(
    callFor({ resumeTaskId: id, onTaskId: (taskId) => taskIds.push(taskId) }),
  );
  t.equal(result.vendorRequestId, id);
  t.equal(fake.requests.filter(replicateRequests.create).length, 1, 'no second prediction');
  t.same(taskIds, []);
  t.equal(sleeps.length, 1, 'the first poll of a resumed prediction goes at once');
});

t.test('resuming a prediction the vendor no longer knows is a retryable failure', async (t) => {
  const { provider } = await setup(t);
  const error = await caught(t, provider.generate(callFor({ resumeTaskId: 'gone' })));
  t.type(error, UpstreamUnavailableError);
  t.equal(error.retryable, true);
});

t.test('aborting cancels the prediction through urls.cancel', async (t) => {
  const controller = new AbortController();
  let sleeps = 0;
  const { fake, provider } = await setup(t, {
    fake: { pollsUntilDone: 100 },
    settings: {
      sleep: async () => {
        if (++sleeps === 2) controller.abort();
      },
    },
  });
  const error = await caught(
    t,
    provider.generate(callFor({ signal: controller.signal, providerOptions: { cancel_after: '5m' } })),
  );
  t.type(error, RequestAbortedError);
  const [prediction] = [...fake.predictions.values()];
  t.equal(prediction!.cancelAfter, '5m', 'docs/providers/replicate.md §10.1 Cancel-After');
  const cancels = fake.requests.filter(replicateRequests.cancel);
  t.equal(cancels.length, 1);
  t.equal(cancels[0]!.path, `/v1/predictions/${prediction!.id}/cancel`);
  t.equal(prediction!.status, 'canceled');
  t.equal(prediction!.polls, 1);
});

t.test('the deadline cancels and is not retried', async (t) => {
  let clock = 0;
  const { fake, provider } = await setup(t, {
    settings: {
      options: { pollIntervalMs: 1000, predictionDeadlineMs: 3000, waitSeconds: 5 },
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    },
  });
  const error = await caught(t, provider.generate(callFor({ prompt: replicateTriggers.stuck })));
  t.type(error, UpstreamTimeoutError);
  t.equal(error.retryable, false);
  t.equal(fake.requests.filter(replicateRequests.create)[0]!.headers.prefer, 'wait=5');
  t.equal(fake.requests.filter(replicateRequests.cancel).length, 1);
});

t.test('failed polls: a few are tolerated, then the wait ends without retry', async (t) => {
  const { fake, provider } = await setup(t, { fake: { pollsUntilDone: 2 } });
  fake.inject({ fault: { kind: 'reset' }, times: 2, match: replicateRequests.get });
  t.equal((await provider.generate(callFor())).images.length, 1);
  fake.inject({ fault: { kind: 'status', status: 500, body: {} }, times: 10, match: replicateRequests.get });
  const error = await caught(t, provider.generate(callFor()));
  t.type(error, UpstreamUnavailableError);
  t.equal(error.retryable, false);
});

t.test('a suspended job (shutdown) stops polling but leaves the prediction to be resumed', async (t) => {
  const controller = new AbortController();
  let sleeps = 0;
  const { fake, provider } = await setup(t, {
    fake: { pollsUntilDone: 100 },
    settings: {
      sleep: async () => {
        if (++sleeps === 2) controller.abort(new JobSuspendedError());
      },
    },
  });
  await caught(t, provider.generate(callFor({ signal: controller.signal })));
  t.equal(fake.requests.filter(replicateRequests.cancel).length, 0, 'not cancelled');
  t.equal([...fake.predictions.values()][0]!.status, 'processing');
});
