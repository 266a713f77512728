import t from 'tap';
import {
  ContentPolicyError,
  InvalidRequestError,
  ModelNotFoundError,
  QuotaExhaustedError,
  RateLimitedError,
  UpstreamAuthenticationError,
  UpstreamUnavailableError,
} from '@uig/core';
import { replicateTriggers } from '@uig/testkit';
import { callFor, caught, setup } from './helpers.js';

t.test('problem-details errors map by status (docs/providers/replicate.md §10.4)', async (t) => {
  const { provider } = await setup(t, { fake: { tokens: ['r8_token'] } });
  const ask = (prompt: string) => caught(t, provider.generate(callFor({ prompt })));
  const credit = await ask(replicateTriggers.problem('insufficientCredit'));
  t.type(credit, QuotaExhaustedError);
  t.equal(credit.vendorCode, 'Insufficient credit');
  const throttled = await ask(replicateTriggers.problem('throttled'));
  t.type(throttled, RateLimitedError);
  t.equal(throttled.retryAfterMs, 1000);
  t.type(await ask(replicateTriggers.problem('invalidVersion')), ModelNotFoundError);
  t.type(await ask(replicateTriggers.problem('notFound')), ModelNotFoundError);
  const server = await ask(replicateTriggers.problem('serverError'));
  t.type(server, UpstreamUnavailableError);
  t.equal(server.retryable, true, 'no prediction was created');
  const auth = await caught(t, provider.generate(callFor({ credential: { id: 'r#2', apiKey: 'r8_wrong' } })));
  t.type(auth, UpstreamAuthenticationError);
  t.notMatch(auth.message, /r8_wrong/);
});

t.test('an input validation error names the request field', async (t) => {
  const { provider } = await setup(t);
  const ratio = await caught(
    t,
    provider.generate(callFor({ model: 'black-forest-labs/flux-dev', aspectRatio: '7:3' })),
  );
  t.type(ratio, InvalidRequestError);
  t.equal(ratio.param, 'aspect_ratio');
  const option = await caught(
    t,
    provider.generate(callFor({ providerOptions: { input: { num_outputs: 9 } } })),
  );
  t.equal(option.param, 'provider_options.replicate.input.num_outputs');
});

t.test('a failed prediction: E005 is a refusal, others are not retried', async (t) => {
  const { provider } = await setup(t, { fake: { pollsUntilDone: 1 } });
  const refused = await caught(t, provider.generate(callFor({ prompt: `x ${replicateTriggers.sensitive}` })));
  t.type(refused, ContentPolicyError);
  t.equal(refused.vendorCode, 'E005');
  const failed = await caught(t, provider.generate(callFor({ prompt: replicateTriggers.failed })));
  t.type(failed, UpstreamUnavailableError);
  t.equal(failed.vendorCode, 'E1001');
  t.equal(failed.retryable, false);
});

t.test('outputs removed after the TTL are an invalid answer, not an empty success', async (t) => {
  const { provider } = await setup(t, { fake: { pollsUntilDone: 0, outputTtlMs: -1 } });
  const error = await caught(t, provider.generate(callFor()));
  t.equal(error.code, 'INVALID_UPSTREAM_RESPONSE');
  t.match(error.message, /removed/);
});
