import t, { type Test } from 'tap';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  createCogviewFake,
  createGeminiFake,
  mountGeminiText,
  mountZhipuChat,
  type ChatFakeLog,
  type CogviewFake,
  type GeminiFake,
} from '@uig/testkit';
import { connectHttp, startHttp, textOf } from './helpers.js';

const chinese = '一只戴着红围巾的猫';
const english = 'a cat wearing a red scarf';

async function gemini(t: Test): Promise<{ fake: GeminiFake; chat: ChatFakeLog }> {
  const fake = createGeminiFake();
  const chat = mountGeminiText(fake);
  await fake.start();
  t.teardown(() => fake.close());
  return { fake, chat };
}

async function cogview(t: Test): Promise<{ fake: CogviewFake; chat: ChatFakeLog }> {
  const fake = createCogviewFake();
  const chat = mountZhipuChat(fake);
  await fake.start();
  t.teardown(() => fake.close());
  return { fake, chat };
}

/** The text of the prompt each Gemini image call received. */
const geminiImagePrompts = (fake: GeminiFake) =>
  fake.calls.map((call) => {
    const contents = call.body.contents as Array<{ parts: Array<{ text?: string }> }>;
    return contents[0]!.parts.map((part) => part.text ?? '').join('');
  });

const cogviewImagePrompts = (fake: CogviewFake) =>
  fake.callsTo('/images/generations').map((call) => (call.json as { prompt: string }).prompt);

t.test(
  "done when: a seed user's generate_image_from_text with a Chinese prompt on Gemini sends English",
  async (t) => {
    const { fake, chat } = await gemini(t);
    const { endpoint } = await startHttp(t, {
      IMAGE_PROVIDER: 'google',
      GEMINI_API_KEY: 'gemini-key',
      GEMINI_BASE_URL: `${fake.url}/v1beta`,
    });
    const client = await connectHttp(t, endpoint);
    const result = (await client.callTool({
      name: 'generate_image_from_text',
      arguments: { prompt: chinese },
    })) as CallToolResult;
    t.notOk(result.isError, textOf(result));
    t.same(geminiImagePrompts(fake), [english], 'the Gemini image model received English');
    t.equal(chat.calls.length, 1);
    t.equal(chat.calls[0]!.model, 'gemini-2.5-flash');
    t.equal(chat.calls[0]!.key, 'gemini-key');
    t.match(chat.calls[0]!.system, /no captions, letters or watermarks/, 'enhance, with the Gemini guidance');
    t.match(result.structuredContent, {
      prompt_optimization: {
        mode: 'enhance',
        original: chinese,
        sent: english,
        language: 'en',
        by: 'gemini/gemini-2.5-flash',
      },
    });
    t.match(textOf(result), `Prompt used (enhance by gemini/gemini-2.5-flash): ${english}`);
  },
);

t.test('done when, the reverse: an English prompt reaches CogView in Chinese', async (t) => {
  const { fake, chat } = await cogview(t);
  const { endpoint } = await startHttp(t, {
    IMAGE_PROVIDER: 'zhipuai',
    ZHIPU_API_KEY: 'zhipu-key',
    ZHIPU_BASE_URL: `${fake.url}/api/paas/v4`,
  });
  const client = await connectHttp(t, endpoint);
  const result = (await client.callTool({
    name: 'generate_image_from_text',
    arguments: { prompt: english },
  })) as CallToolResult;
  t.notOk(result.isError, textOf(result));
  t.same(cogviewImagePrompts(fake), [chinese]);
  t.equal(chat.calls[0]!.model, 'glm-4-flash');
  t.match(result.structuredContent, {
    prompt_optimization: { sent: chinese, language: 'zh', by: 'cogview/glm-4-flash' },
  });
});

t.test('the seed tools keep the original prompt when the rewrite fails, and say so', async (t) => {
  const { fake } = await gemini(t);
  const { endpoint } = await startHttp(t, {
    IMAGE_PROVIDER: 'google',
    GEMINI_API_KEY: 'gemini-key',
    GEMINI_BASE_URL: `${fake.url}/v1beta`,
  });
  const client = await connectHttp(t, endpoint);
  const prompt = `${chinese} FAKE_CHAT_SERVER_ERROR`;
  const result = (await client.callTool({
    name: 'generate_image_from_text',
    arguments: { prompt },
  })) as CallToolResult;
  t.notOk(result.isError);
  t.same(geminiImagePrompts(fake), [prompt]);
  t.match(result.structuredContent, { warnings: [{ type: 'prompt_optimization_failed' }] });
  t.match(textOf(result), `Prompt used (enhance: unchanged): ${prompt}`);
});

t.test('UIG_PROMPT_OPTIMIZATION=off switches the seed default off', async (t) => {
  const { fake, chat } = await gemini(t);
  const { endpoint } = await startHttp(t, {
    IMAGE_PROVIDER: 'google',
    UIG_PROMPT_OPTIMIZATION: 'off',
    GEMINI_API_KEY: 'gemini-key',
    GEMINI_BASE_URL: `${fake.url}/v1beta`,
  });
  const client = await connectHttp(t, endpoint);
  const result = (await client.callTool({
    name: 'generate_image_from_text',
    arguments: { prompt: chinese },
  })) as CallToolResult;
  t.notOk(result.isError);
  t.same(geminiImagePrompts(fake), [chinese]);
  t.equal(chat.calls.length, 0);
  t.equal((result.structuredContent as Record<string, unknown>).prompt_optimization, undefined);
});

t.test(
  'without IMAGE_PROVIDER the tools default to off; generate_image takes prompt_optimization',
  async (t) => {
    const { fake, chat } = await gemini(t);
    const { endpoint } = await startHttp(t, {
      GEMINI_API_KEY: 'gemini-key',
      GEMINI_BASE_URL: `${fake.url}/v1beta`,
    });
    const client = await connectHttp(t, endpoint);
    await client.callTool({ name: 'generate_image_from_text', arguments: { prompt: chinese } });
    await client.callTool({ name: 'generate_image', arguments: { prompt: chinese } });
    t.same(geminiImagePrompts(fake), [chinese, chinese], 'sent as given');
    const result = (await client.callTool({
      name: 'generate_image',
      arguments: { prompt: chinese, prompt_optimization: 'translate' },
    })) as CallToolResult;
    t.equal(geminiImagePrompts(fake).at(-1), english);
    t.equal(chat.calls.length, 1);
    t.match(chat.calls[0]!.system, /Translate the request faithfully/);
    t.match(result.structuredContent, { prompt_optimization: { mode: 'translate', sent: english } });
    const models = (await client.callTool({ name: 'list_models', arguments: {} })) as CallToolResult;
    const listed = (
      models.structuredContent as { models: Array<{ id: string; capabilities: { promptLanguage?: string } }> }
    ).models;
    t.equal(
      listed.find((model) => model.id === 'gemini/gemini-2.5-flash-image')?.capabilities.promptLanguage,
      'en',
    );
    t.match(textOf(models), /prompt language en/);
  },
);

t.test('edit_image takes prompt_optimization too, with the edit guidance', async (t) => {
  const { fake, chat } = await gemini(t);
  const { endpoint } = await startHttp(t, {
    GEMINI_API_KEY: 'gemini-key',
    GEMINI_BASE_URL: `${fake.url}/v1beta`,
  });
  const client = await connectHttp(t, endpoint);
  const generated = (await client.callTool({
    name: 'generate_image',
    arguments: { prompt: 'a lake' },
  })) as CallToolResult;
  const id = (generated.structuredContent as { images: Array<{ id: string }> }).images[0]!.id;
  const result = (await client.callTool({
    name: 'edit_image',
    arguments: { prompt: '把天空换成晚霞', image: id, prompt_optimization: 'enhance' },
  })) as CallToolResult;
  t.notOk(result.isError, textOf(result));
  t.match(chat.calls[0]!.system, /everything else stays as it is/);
  t.equal(geminiImagePrompts(fake).at(-1), 'replace the sky with a sunset glow');
});
