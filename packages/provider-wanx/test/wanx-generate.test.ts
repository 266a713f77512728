import t from 'tap';
import {
  ContentPolicyError,
  InvalidRequestError,
  UpstreamUnavailableError,
  type ProgressEvent,
} from '@uig/core';
import { dashScopePromptExtension, dashScopeTriggers, tinyPng } from '@uig/testkit';
import { caught, callFor, creates, polls, setup } from './helpers.js';

t.test(
  'PENDING → RUNNING → SUCCEEDED: the docs/providers/wanx.md §4.3 body, the async header, images as URLs',
  async (t) => {
    const { fake, provider, sleeps } = await setup(t, { fake: { pendingPolls: 1, runningPolls: 1 } });
    const events: ProgressEvent[] = [];
    const result = await provider.generate(
      callFor({
        n: 3,
        size: { width: 1440, height: 720 },
        seed: 42,
        negativePrompt: 'low resolution',
        providerOptions: { prompt_extend: true, watermark: false },
        onProgress: (event) => events.push(event),
      }),
    );
    const [create] = creates(fake);
    t.equal(create!.headers['x-dashscope-async'], 'enable');
    t.equal(create!.headers.authorization, 'Bearer sk-test');
    t.same(create!.json, {
      model: 'wanx2.1-t2i-turbo',
      input: { prompt: 'a flower shop with carved windows', negative_prompt: 'low resolution' },
      parameters: { size: '1440*720', n: 3, seed: 42, prompt_extend: true, watermark: false },
    });
    t.equal(result.images.length, 3);
    for (const image of result.images) {
      t.equal(image.kind, 'url');
      const response = await fetch((image as { url: string }).url);
      t.same(Buffer.from(await response.arrayBuffer()), tinyPng());
    }
    t.equal(result.revisedPrompt, `a flower shop with carved windows${dashScopePromptExtension}`);
    t.same(result.warnings, []);
    t.equal(result.metadata?.task_id, fake.lastTask!.id);
    t.same(result.metadata?.task_metrics, { TOTAL: 3, SUCCEEDED: 3, FAILED: 0 });
    t.equal(result.metadata?.image_count, 3);
    t.type(result.vendorRequestId, 'string');
    // Three polls: PENDING, RUNNING, SUCCEEDED; polls carry the key but not the async header.
    t.equal(polls(fake).length, 3);
    t.equal(polls(fake)[0]!.headers.authorization, 'Bearer sk-test');
    t.notOk(polls(fake)[0]!.headers['x-dashscope-async']);
    t.same(sleeps, [1000, 2000, 4000]);
    // One status event on acceptance and one per poll.
    t.equal(events.length, 4);
    t.ok(events.every((event) => event.type === 'status'));
  },
);

t.test('n is always sent (the vendor default is 4); unset options are not sent', async (t) => {
  const { fake, provider } = await setup(t);
  const result = await provider.generate(callFor({ n: 1 }));
  t.equal(result.images.length, 1);
  t.same(creates(fake)[0]!.json, {
    model: 'wanx2.1-t2i-turbo',
    input: { prompt: 'a flower shop with carved windows' },
    parameters: { size: '1024*1024', n: 1 },
  });
});

t.test('prompt_extend false: no actual_prompt, so no revised prompt', async (t) => {
  const { provider } = await setup(t);
  const result = await provider.generate(callFor({ providerOptions: { prompt_extend: false } }));
  t.equal(result.revisedPrompt, undefined);
});

t.test('every text-to-image model', async (t) => {
  const { fake, provider } = await setup(t, { fake: { pendingPolls: 0, runningPolls: 0 } });
  for (const model of [
    'wanx2.1-t2i-turbo',
    'wanx2.1-t2i-plus',
    'wanx2.0-t2i-turbo',
    'wan2.2-t2i-flash',
    'wan2.2-t2i-plus',
  ]) {
    const result = await provider.generate(callFor({ model }));
    t.equal(result.images.length, 1, model);
    t.equal(fake.lastTask!.model, model);
  }
  t.equal(provider.defaultModel, 'wanx2.1-t2i-turbo');
});

t.test('FAILED: output.code decides the error', async (t) => {
  const { provider } = await setup(t);
  const refused = await caught(
    t,
    provider.generate(callFor({ prompt: dashScopeTriggers.taskFailed('DataInspectionFailed') })),
  );
  t.type(refused, ContentPolicyError);
  t.equal(refused.code, 'CONTENT_POLICY_VIOLATION');
  t.equal(refused.vendorCode, 'DataInspectionFailed');
  t.equal(refused.retryable, false);
  const invalid = await caught(
    t,
    provider.generate(callFor({ prompt: dashScopeTriggers.taskFailed('InvalidParameter') })),
  );
  t.type(invalid, InvalidRequestError);
  t.equal(invalid.code, 'INVALID_REQUEST');
  const internal = await caught(
    t,
    provider.generate(callFor({ prompt: dashScopeTriggers.taskFailed('InternalError.Algo') })),
  );
  t.type(internal, UpstreamUnavailableError);
  t.equal(internal.code, 'UPSTREAM_UNAVAILABLE');
  t.equal(internal.vendorCode, 'InternalError.Algo');
  t.equal(internal.retryable, true);
});

t.test('CANCELED upstream (not by us) is a non-retryable upstream error', async (t) => {
  const { fake, provider } = await setup(t, { fake: { pendingPolls: 5 } });
  const error = await caught(
    t,
    provider.generate(
      callFor({
        onProgress: () => {
          fake.lastTask!.canceled = true;
        },
      }),
    ),
  );
  t.type(error, UpstreamUnavailableError);
  t.equal(error.code, 'UPSTREAM_UNAVAILABLE');
  t.equal(error.vendorCode, 'CANCELED');
  t.equal(error.retryable, false);
  t.equal(polls(fake).length, 1);
});

t.test('UNKNOWN: the vendor lost the task; retryable (no duplicate is possible)', async (t) => {
  const { fake, provider } = await setup(t);
  const error = await caught(t, provider.generate(callFor({ prompt: dashScopeTriggers.taskLost })));
  t.type(error, UpstreamUnavailableError);
  t.equal(error.vendorCode, 'UNKNOWN');
  t.equal(error.retryable, true);
  t.equal(polls(fake).length, 1);
});

t.test('partial failure: the images that succeeded, and a warning naming the failures', async (t) => {
  const { provider } = await setup(t);
  const result = await provider.generate(callFor({ n: 3, prompt: dashScopeTriggers.partialFailure }));
  t.equal(result.images.length, 2);
  t.equal(result.warnings.length, 1);
  t.equal(result.warnings[0]!.type, 'partial_failure');
  t.match(result.warnings[0]!.message, /InternalError\.Timeout/);
  t.same(result.metadata?.failed_results, [
    {
      index: 2,
      code: 'InternalError.Timeout',
      message:
        'An internal timeout error has occured during execution, please try again later or contact service support.',
    },
  ]);
  t.equal(result.metadata?.image_count, 2);
});

t.test("zero successes: an error carrying the first item's code", async (t) => {
  const { provider } = await setup(t);
  const error = await caught(
    t,
    provider.generate(callFor({ n: 2, prompt: dashScopeTriggers.allItemsFailed })),
  );
  t.type(error, UpstreamUnavailableError);
  t.equal(error.vendorCode, 'InternalError.Timeout');
  t.equal(error.retryable, true);
});

t.test('SUCCEEDED with fewer results than asked and no failed items still warns', async (t) => {
  const { fake, provider } = await setup(t, { fake: { pendingPolls: 0, runningPolls: 0 } });
  const result = await provider.generate(callFor({ n: 2, onProgress: () => void (fake.lastTask!.n = 1) }));
  t.equal(result.images.length, 1);
  t.equal(result.warnings[0]?.type, 'partial_failure');
});
