import t from 'tap';
import { ContentPolicyError, InvalidUpstreamResponseError, isUigError } from '@uig/core';
import { geminiBlockReasons, geminiTriggers, tinyPng } from '@uig/testkit';
import { makeCall, providerFor, startFake } from './helpers.js';

/** docs/providers/gemini.md §3.3: every refusal arrives as HTTP 200; none may become a success with zero images. */

async function failure(promise: Promise<unknown>) {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!isUigError(caught)) throw new Error(`expected a UigError, got ${String(caught)}`);
  return caught;
}

t.test(
  'every promptFeedback.blockReason is a ContentPolicyError with the reason as vendorCode',
  async (t) => {
    for (const candidates of ['absent', 'empty'] as const) {
      const fake = await startFake(t, { blockedPromptCandidates: candidates });
      const provider = providerFor(fake);
      for (const reason of geminiBlockReasons) {
        const error = await failure(
          provider.generate(makeCall({ prompt: `x ${geminiTriggers.blockPrompt(reason)}` })),
        );
        t.type(error, ContentPolicyError, `${reason} (${candidates})`);
        t.equal(error.code, 'CONTENT_POLICY_VIOLATION');
        t.equal(error.vendorCode, reason);
        t.equal(error.retryable, false);
        t.equal(error.status, 400);
      }
    }
  },
);

t.test('a promptFeedback with only blockReasonMessage and no candidates is a refusal too', async (t) => {
  const fake = await startFake(t);
  const error = await failure(providerFor(fake).generate(makeCall({ prompt: geminiTriggers.feedbackOnly })));
  t.type(error, ContentPolicyError);
  t.equal(error.vendorCode, 'BLOCKED');
});

const policyReasons = [
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'SAFETY',
  'PROHIBITED_CONTENT',
  'RECITATION',
  'IMAGE_RECITATION',
  'BLOCKLIST',
  'SPII',
];
const noImageReasons = ['IMAGE_OTHER', 'NO_IMAGE', 'OTHER', 'MAX_TOKENS'];

t.test('policy finishReasons are ContentPolicyError, whatever the candidate holds', async (t) => {
  for (const refusalParts of ['text', 'empty', 'absent'] as const) {
    const fake = await startFake(t, { refusalParts });
    const provider = providerFor(fake);
    for (const reason of policyReasons) {
      const error = await failure(provider.generate(makeCall({ prompt: geminiTriggers.finish(reason) })));
      t.type(error, ContentPolicyError, `${reason} (${refusalParts})`);
      t.equal(error.code, 'CONTENT_POLICY_VIOLATION');
      t.equal(error.vendorCode, reason);
    }
  }
});

t.test("other finishReasons without an image are NO_IMAGE_RETURNED with the model's words", async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake);
  for (const reason of noImageReasons) {
    const error = await failure(provider.generate(makeCall({ prompt: geminiTriggers.finish(reason) })));
    t.type(error, InvalidUpstreamResponseError, reason);
    t.equal(error.code, 'NO_IMAGE_RETURNED');
    t.equal(error.vendorCode, reason);
    t.equal(error.status, 502);
    t.equal(error.retryable, false);
  }
});

t.test('STOP with text only, and no candidates at all, are NO_IMAGE_RETURNED', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake);
  const textOnly = await failure(provider.generate(makeCall({ prompt: geminiTriggers.textOnly })));
  t.type(textOnly, InvalidUpstreamResponseError);
  t.equal(textOnly.code, 'NO_IMAGE_RETURNED');
  t.equal(textOnly.vendorCode, 'STOP');
  const none = await failure(provider.generate(makeCall({ prompt: geminiTriggers.noCandidates })));
  t.equal(none.code, 'NO_IMAGE_RETURNED');
  fake.inject({ fault: { kind: 'status', status: 200, body: {} } });
  t.equal((await failure(provider.generate(makeCall()))).code, 'NO_IMAGE_RETURNED', 'an empty body');
});

t.test('an image with a finishReason other than STOP is returned with a warning', async (t) => {
  const fake = await startFake(t);
  const body = {
    candidates: [
      {
        content: { parts: [{ inlineData: { mimeType: 'image/png', data: tinyPng().toString('base64') } }] },
        finishReason: 'MAX_TOKENS',
      },
    ],
  };
  fake.inject({ fault: { kind: 'status', status: 200, body } });
  const result = await providerFor(fake).generate(makeCall());
  t.equal(result.images.length, 1);
  t.same(
    result.warnings.map((warning) => warning.feature),
    ['finish_reason'],
  );
});

t.test('a refusal streamed as SSE maps the same way', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake, { streaming: 'always' });
  const blocked = await failure(
    provider.generate(makeCall({ prompt: geminiTriggers.blockPrompt('PROHIBITED_CONTENT') })),
  );
  t.type(blocked, ContentPolicyError);
  t.equal(blocked.vendorCode, 'PROHIBITED_CONTENT');
  const withheld = await failure(
    provider.generate(makeCall({ prompt: geminiTriggers.finish('IMAGE_SAFETY') })),
  );
  t.equal(withheld.vendorCode, 'IMAGE_SAFETY');
  const textOnly = await failure(provider.generate(makeCall({ prompt: geminiTriggers.textOnly })));
  t.equal(textOnly.code, 'NO_IMAGE_RETURNED');
});
