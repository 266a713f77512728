import t, { type Test } from 'tap';
import {
  PromptOptimizer,
  RequestAbortedError,
  type PromptChatSpec,
  type PromptOptimizerOptions,
  type ResolvedModel,
} from '@uig/core';
// testkit depends on core, so core's own tests reach the fakes by path.
import { chatTriggers } from '../../testkit/src/chat/chat-fake.js';
import { FakeUpstream } from '../../testkit/src/fake-upstream.js';
import { mountOpenAIChat } from '../../testkit/src/openai/openai-chat-fake.js';
import { model, pngResult, scriptedProvider } from './helpers.js';

const openaiChat: PromptChatSpec = {
  protocol: 'openai-chat',
  defaultModel: 'gpt-4.1-mini',
  maxTokensField: 'max_completion_tokens',
  prices: {
    'gpt-4.1-mini': {
      readOn: '2026-11-27',
      source: 'test',
      perMillionTokens: { textInput: 0.4, textOutput: 1.6 },
    },
  },
};

function target(promptLanguage: string, providerType = 'gemini', maxPromptLength = 1000): ResolvedModel {
  const { provider } = scriptedProvider(
    'images',
    [model('painter', { promptLanguage, maxPromptLength })],
    [() => pngResult()],
  );
  return { provider, providerType, model: provider.models[0]!, name: 'images/painter' };
}

async function setup(t: Test, options: Partial<PromptOptimizerOptions> = {}) {
  const fake = await new FakeUpstream().start();
  t.teardown(() => fake.close());
  const chat = mountOpenAIChat(fake);
  const optimizer = new PromptOptimizer({
    providers: [
      {
        id: 'openai',
        spec: openaiChat,
        baseURL: `${fake.url}/v1`,
        credential: () => ({ id: 'openai#1', apiKey: 'sk-chat' }),
      },
    ],
    fetch: globalThis.fetch,
    ...options,
  });
  return { fake, chat, optimizer };
}

const signal = new AbortController().signal;

t.test('off sends the prompt as given and calls no chat model', async (t) => {
  const { chat, optimizer } = await setup(t);
  const result = await optimizer.optimize({
    mode: 'off',
    prompt: '一只戴着红围巾的猫',
    kind: 'generate',
    target: target('en'),
    signal,
  });
  t.same(result, { prompt: '一只戴着红围巾的猫' });
  t.equal(chat.calls.length, 0);
});

t.test('translate turns a Chinese prompt into English for an English model, and says so', async (t) => {
  const { chat, optimizer } = await setup(t);
  const result = await optimizer.optimize({
    mode: 'translate',
    prompt: '一只戴着红围巾的猫',
    kind: 'generate',
    target: target('en'),
    signal,
  });
  t.equal(result.prompt, 'a cat wearing a red scarf');
  t.same(result.optimization, {
    mode: 'translate',
    original: '一只戴着红围巾的猫',
    sent: 'a cat wearing a red scarf',
    language: 'en',
    by: 'openai/gpt-4.1-mini',
  });
  t.equal(result.warning, undefined);
  const call = chat.calls[0]!;
  t.equal(call.key, 'sk-chat', "the provider's own key");
  t.equal(call.user, '一只戴着红围巾的猫');
  t.match(call.system, /Translate/);
  t.match(call.system, /English/);
  t.equal(call.body.max_completion_tokens, 1024, 'OpenAI wants max_completion_tokens');
  t.equal(call.body.stream, false);
  // 42 input tokens, 7 output tokens (25 characters / 4) at $0.40 / $1.60 per million.
  t.same(result.usage, {
    model: 'openai/gpt-4.1-mini',
    inputTokens: 42,
    outputTokens: 7,
    estimatedCostUsd: Math.round(((42 * 0.4 + 7 * 1.6) / 1e6) * 1e6) / 1e6,
  });
});

t.test(
  'translate leaves a prompt alone when it is already in the language, or the model takes any',
  async (t) => {
    const { chat, optimizer } = await setup(t);
    const english = await optimizer.optimize({
      mode: 'translate',
      prompt: 'a cat',
      kind: 'generate',
      target: target('en'),
      signal,
    });
    t.same(english.optimization, { mode: 'translate', original: 'a cat', sent: 'a cat', language: 'en' });
    const any = await optimizer.optimize({
      mode: 'translate',
      prompt: '一只猫',
      kind: 'generate',
      target: target('any'),
      signal,
    });
    t.equal(any.prompt, '一只猫');
    t.equal(chat.calls.length, 0);
  },
);

t.test(
  'enhance rewrites even in the right language, with the family and operation instructions',
  async (t) => {
    const { chat, optimizer } = await setup(t);
    await optimizer.optimize({
      mode: 'enhance',
      prompt: 'a cat',
      kind: 'generate',
      target: target('en', 'gemini'),
      signal,
    });
    await optimizer.optimize({
      mode: 'enhance',
      prompt: 'make it night',
      kind: 'edit',
      target: target('any', 'gemini'),
      signal,
    });
    t.equal(chat.calls.length, 2);
    t.match(
      chat.calls[0]!.system,
      /no captions, letters or watermarks/,
      'Gemini generate: no text in the image',
    );
    t.match(chat.calls[1]!.system, /everything else stays as it is/, 'Gemini edit: keep the rest');
    t.match(chat.calls[1]!.system, /language the request is written in/, 'any: keep the language');
  },
);

t.test('rewrites are cached by text, language, mode and model; a cached one costs nothing', async (t) => {
  const { chat, optimizer } = await setup(t);
  const input = { prompt: '一只戴着红围巾的猫', kind: 'generate' as const, target: target('en'), signal };
  const first = await optimizer.optimize({ mode: 'translate', ...input });
  const second = await optimizer.optimize({ mode: 'translate', ...input });
  t.equal(chat.calls.length, 1);
  t.equal(second.prompt, first.prompt);
  t.equal(second.usage, undefined);
  t.equal(second.optimization?.by, 'openai/gpt-4.1-mini');
  await optimizer.optimize({ mode: 'enhance', ...input });
  await optimizer.optimize({ mode: 'translate', ...input, target: target('ko', 'cogview') });
  t.equal(chat.calls.length, 3, 'another mode or language is another rewrite');
});

t.test('the cache is bounded: the oldest rewrite is dropped', async (t) => {
  const { chat, optimizer } = await setup(t, { cacheSize: 2 });
  const run = (prompt: string) =>
    optimizer.optimize({ mode: 'enhance', prompt, kind: 'generate', target: target('en'), signal });
  await run('one');
  await run('two');
  await run('three');
  await run('one');
  t.equal(chat.calls.length, 4, '"one" was evicted by "three"');
  await run('three');
  t.equal(chat.calls.length, 4, '"three" is still cached');
});

t.test('every failure keeps the original prompt with a prompt_optimization_failed warning', async (t) => {
  for (const [name, word] of Object.entries(chatTriggers)) {
    const { optimizer } = await setup(t);
    const prompt = `一只猫 ${word}`;
    const result = await optimizer.optimize({
      mode: 'enhance',
      prompt,
      kind: 'generate',
      target: target('en'),
      signal,
    });
    t.equal(result.prompt, prompt, name);
    t.equal(result.optimization?.sent, prompt, name);
    t.equal(result.optimization?.by, undefined, name);
    t.equal(result.warning?.type, 'prompt_optimization_failed', name);
    t.equal(result.warning?.feature, 'prompt_optimization', name);
  }
});

t.test(
  'a rewrite longer than the model takes keeps the original, and still records what it used',
  async (t) => {
    const { optimizer } = await setup(t);
    const result = await optimizer.optimize({
      mode: 'enhance',
      prompt: `a cat ${chatTriggers.tooLong}`,
      kind: 'generate',
      target: target('en', 'gemini', 1000),
      signal,
    });
    t.match(result.warning?.message, /at most 1000/);
    t.ok(result.usage?.outputTokens, 'the tokens were spent all the same');
  },
);

t.test('a rewrite that takes longer than timeoutMs is abandoned and the original sent', async (t) => {
  const { fake, optimizer } = await setup(t, { timeoutMs: 50 });
  fake.inject({ fault: { kind: 'hang' } });
  const result = await optimizer.optimize({
    mode: 'translate',
    prompt: '一只猫',
    kind: 'generate',
    target: target('en'),
    signal,
  });
  t.equal(result.prompt, '一只猫');
  t.match(result.warning?.message, /UPSTREAM_TIMEOUT/);
});

t.test('a caller that goes away stops the request instead of carrying on with the original', async (t) => {
  const { fake, optimizer } = await setup(t, { timeoutMs: 5000 });
  fake.inject({ fault: { kind: 'hang' } });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  await t.rejects(
    optimizer.optimize({
      mode: 'translate',
      prompt: '一只猫',
      kind: 'generate',
      target: target('en'),
      signal: controller.signal,
    }),
    RequestAbortedError,
  );
});

t.test('with no chat model configured, a rewrite warns and sends the original', async (t) => {
  const optimizer = new PromptOptimizer({ providers: [], fetch: globalThis.fetch });
  const result = await optimizer.optimize({
    mode: 'translate',
    prompt: '一只猫',
    kind: 'generate',
    target: target('en'),
    signal,
  });
  t.equal(result.prompt, '一只猫');
  t.match(result.warning?.message, /No chat model is configured/);
});

t.test(
  'the mode: the request, else the client key, else the configuration, else the door, else off',
  async (t) => {
    const configured = new PromptOptimizer({
      providers: [],
      fetch: globalThis.fetch,
      defaultMode: 'translate',
    });
    const unconfigured = new PromptOptimizer({ providers: [], fetch: globalThis.fetch });
    t.equal(configured.modeFor('off', 'enhance', 'enhance'), 'off');
    t.equal(configured.modeFor(undefined, 'enhance', undefined), 'enhance');
    t.equal(configured.modeFor(undefined, undefined, 'enhance'), 'translate');
    t.equal(unconfigured.modeFor(undefined, undefined, 'enhance'), 'enhance');
    t.equal(unconfigured.modeFor(undefined, undefined, undefined), 'off');
  },
);
