import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import {
  chatTriggers,
  createCogviewFake,
  createDashScopeFake,
  createGeminiFake,
  createOpenAIFake,
  mountDashScopeChat,
  mountGeminiText,
  mountOpenAIChat,
  mountZhipuChat,
  type ChatFakeLog,
  type FakeUpstream,
} from '@uig/testkit';
import { startGateway, type StartOptions } from './helpers.js';

const chinese = '一只戴着红围巾的猫';
const english = 'a cat wearing a red scarf';

/** One vendor: its image fake with its chat endpoint mounted, the env that points the gateway at it, and what its image call received as prompt. */
interface Vendor {
  name: string;
  env: (fake: FakeUpstream) => Record<string, string>;
  start: () => Promise<{ fake: FakeUpstream; chat: ChatFakeLog }>;
  sentPrompts: (fake: FakeUpstream) => string[];
  /** What the vendor's model prefers, and a prompt in the other language. */
  language: 'en' | 'zh';
  chatModel: string;
}

const vendors: Vendor[] = [
  {
    name: 'cogview',
    env: (fake) => ({ ZHIPU_API_KEY: 'zhipu-key', ZHIPU_BASE_URL: `${fake.url}/api/paas/v4` }),
    start: async () => {
      const fake = createCogviewFake();
      return { fake, chat: mountZhipuChat(fake) };
    },
    sentPrompts: (fake) =>
      fake.callsTo('/images/generations').map((call) => (call.json as { prompt: string }).prompt),
    language: 'zh',
    chatModel: 'cogview/glm-4-flash',
  },
  {
    name: 'wanx',
    env: (fake) => ({ DASHSCOPE_API_KEY: 'dashscope-key', DASHSCOPE_BASE_URL: `${fake.url}/api/v1` }),
    start: async () => {
      const fake = createDashScopeFake();
      return { fake, chat: mountDashScopeChat(fake) };
    },
    sentPrompts: (fake) =>
      fake
        .callsTo('/image-synthesis')
        .map((call) => (call.json as { input: { prompt: string } }).input.prompt),
    language: 'zh',
    chatModel: 'wanx/qwen-turbo',
  },
  {
    name: 'gemini',
    env: (fake) => ({ GEMINI_API_KEY: 'gemini-key', GEMINI_BASE_URL: `${fake.url}/v1beta` }),
    start: async () => {
      const fake = createGeminiFake();
      return { fake, chat: mountGeminiText(fake) };
    },
    sentPrompts: (fake) =>
      fake
        .callsTo(':generateContent')
        .filter((call) => call.path.includes('-image'))
        .map(
          (call) =>
            (call.json as { contents: Array<{ parts: Array<{ text?: string }> }> }).contents[0]!.parts[0]!
              .text!,
        ),
    language: 'en',
    chatModel: 'gemini/gemini-2.5-flash',
  },
  {
    name: 'openai',
    env: (fake) => ({ OPENAI_API_KEY: 'sk-openai', OPENAI_BASE_URL: `${fake.url}/v1` }),
    start: async () => {
      const fake = createOpenAIFake();
      return { fake, chat: mountOpenAIChat(fake) };
    },
    sentPrompts: (fake) =>
      fake.callsTo('/images/generations').map((call) => (call.json as { prompt: string }).prompt),
    language: 'en',
    chatModel: 'openai/gpt-4.1-mini',
  },
];

async function withVendor(
  t: Test,
  vendor: Vendor,
  env: Record<string, string> = {},
  options: StartOptions = {},
) {
  const { fake, chat } = await vendor.start();
  await fake.start();
  t.teardown(() => fake.close());
  const gateway = await startGateway(t, { ...vendor.env(fake), ...env }, options);
  return { fake, chat, ...gateway };
}

for (const vendor of vendors) {
  const [given, wanted] = vendor.language === 'en' ? [chinese, english] : [english, chinese];

  t.test(
    `${vendor.name}: translate sends the prompt in the model's language, rewritten by ${vendor.chatModel}`,
    async (t) => {
      const { app, fake, chat } = await withVendor(t, vendor);
      const response = await app.inject({
        method: 'POST',
        url: '/v1/images',
        payload: { prompt: given, prompt_optimization: 'translate' },
      });
      t.equal(response.statusCode, 200, response.body);
      t.same(vendor.sentPrompts(fake), [wanted], 'the image model received the translation');
      t.same(response.json().prompt_optimization, {
        mode: 'translate',
        original: given,
        sent: wanted,
        language: vendor.language,
        by: vendor.chatModel,
      });
      t.equal(chat.calls.length, 1);
      t.equal(chat.calls[0]!.model, vendor.chatModel.split('/')[1]);
      t.equal(chat.calls[0]!.key, Object.values(vendor.env(fake))[0], "with the image provider's own key");
    },
  );

  t.test(`${vendor.name}: every chat failure sends the original prompt with a warning`, async (t) => {
    const { app, fake } = await withVendor(t, vendor);
    for (const [kind, word] of Object.entries(chatTriggers)) {
      const prompt = `${given} ${word}`;
      const response = await app.inject({
        method: 'POST',
        url: '/v1/images',
        payload: { prompt, prompt_optimization: 'enhance' },
      });
      t.equal(response.statusCode, 200, `${kind}: the image request still succeeds`);
      t.equal(vendor.sentPrompts(fake).at(-1), prompt, `${kind}: original prompt sent`);
      t.match(
        response.json().warnings,
        [{ type: 'prompt_optimization_failed', feature: 'prompt_optimization' }],
        kind,
      );
      t.equal(response.json().prompt_optimization.by, undefined, kind);
    }
  });
}

t.test(
  'the OpenAI route takes no field: the configured default applies, and revised_prompt shows the prompt sent',
  async (t) => {
    const vendor = vendors.find((candidate) => candidate.name === 'openai')!;
    const { fake, url } = await withVendor(
      t,
      vendor,
      { UIG_PROMPT_OPTIMIZATION: 'translate' },
      { listen: true },
    );
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${url}/v1` });
    const answer = await client.images.generate({ model: 'openai/gpt-image-1', prompt: chinese });
    t.equal(answer.data?.[0]?.revised_prompt, english);
    t.same(vendor.sentPrompts(fake), [english]);
  },
);

t.test(
  'defaults: the file, then UIG_PROMPT_OPTIMIZATION, then the client key, then the request',
  async (t) => {
    const vendor = vendors.find((candidate) => candidate.name === 'gemini')!;
    const configFile = {
      promptOptimization: { default: 'translate' },
      clients: [
        { name: 'plain', key: 'key-plain' },
        { name: 'rewriter', key: 'key-rewriter', promptOptimization: 'off' },
      ],
    };
    const { app, chat } = await withVendor(t, vendor, {}, { configFile });
    const run = async (key: string, extra: Record<string, unknown> = {}) =>
      (
        await app.inject({
          method: 'POST',
          url: '/v1/images',
          headers: { authorization: `Bearer ${key}` },
          payload: { prompt: chinese, ...extra },
        })
      ).json().prompt_optimization;
    t.equal((await run('key-plain'))?.sent, english, "the file's default: translate");
    t.equal(await run('key-rewriter'), undefined, "the key's own default (off) wins over the file's");
    t.equal(
      (await run('key-rewriter', { prompt_optimization: 'translate' }))?.sent,
      english,
      'the request wins',
    );
    t.equal(chat.calls.length, 1, 'the second translation came from the cache');

    const { app: envApp } = await withVendor(t, vendor, { UIG_PROMPT_OPTIMIZATION: 'off' }, { configFile });
    const response = await envApp.inject({
      method: 'POST',
      url: '/v1/images',
      headers: { authorization: 'Bearer key-plain' },
      payload: { prompt: chinese },
    });
    t.equal(
      response.json().prompt_optimization,
      undefined,
      "UIG_PROMPT_OPTIMIZATION overrides the file's default",
    );
  },
);

t.test('the rewrite goes into the ledger line of the request, with its tokens and cost', async (t) => {
  const vendor = vendors.find((candidate) => candidate.name === 'gemini')!;
  const { app, runtime } = await withVendor(t, vendor);
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: chinese, prompt_optimization: 'translate' },
  });
  t.equal(response.statusCode, 200);
  await runtime.ledger.close();
  const line = JSON.parse(
    readFileSync(join(runtime.config.dataDir, 'usage.jsonl'), 'utf8').trim().split('\n').at(-1)!,
  );
  // The Gemini text fake counts 40 input tokens and a token per four characters of output.
  t.match(line, {
    rewriteModel: 'gemini/gemini-2.5-flash',
    rewriteInputTokens: 40,
    rewriteOutputTokens: Math.ceil(english.length / 4),
  });
  const rewriteCost = (40 * 0.3 + Math.ceil(english.length / 4) * 2.5) / 1e6;
  t.equal(line.rewriteCostUsd, Math.round(rewriteCost * 1e6) / 1e6);
  t.ok(line.estimatedCostUsd >= line.rewriteCostUsd, 'the request cost includes the rewrite');
  t.equal(response.json().usage.estimated_cost_usd, line.estimatedCostUsd);
});

t.test('promptOptimization.model picks the rewriting model, whatever the image vendor', async (t) => {
  const gemini = await createGeminiFake().start();
  t.teardown(() => gemini.close());
  const geminiChat = mountGeminiText(gemini);
  const vendor = vendors.find((candidate) => candidate.name === 'cogview')!;
  const { app, fake, chat } = await withVendor(
    t,
    vendor,
    { GEMINI_API_KEY: 'gemini-key', GEMINI_BASE_URL: `${gemini.url}/v1beta` },
    { configFile: { promptOptimization: { model: 'gemini/gemini-2.5-flash' } } },
  );
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { model: 'cogview/cogview-4-250304', prompt: english, prompt_optimization: 'translate' },
  });
  t.equal(response.json().prompt_optimization.by, 'gemini/gemini-2.5-flash');
  t.equal(geminiChat.calls.length, 1);
  t.equal(chat.calls.length, 0, 'Zhipu chat was not used');
  t.same(vendor.sentPrompts(fake), [chinese]);
});

t.test('models show their prompt language; a wrong prompt_optimization is a 400 naming it', async (t) => {
  const vendor = vendors.find((candidate) => candidate.name === 'cogview')!;
  const { app } = await withVendor(t, vendor);
  const models = (await app.inject({ method: 'GET', url: '/v1/models' })).json().data as Array<{
    id: string;
    capabilities: { promptLanguage?: string };
  }>;
  t.equal(models.find((entry) => entry.id === 'cogview/cogview-4-250304')?.capabilities.promptLanguage, 'zh');
  t.equal(models.find((entry) => entry.id.startsWith('local/'))?.capabilities.promptLanguage, 'any');
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images',
    payload: { prompt: 'a cat', prompt_optimization: 'polish' },
  });
  t.equal(response.statusCode, 400);
  t.equal(response.json().error.param, 'prompt_optimization');
});
