import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  InvalidRequestError,
  UpstreamUnavailableError,
  isUigError,
  loadConfig,
  type ProviderConfig,
} from '@uig/core';
import { openaiTriggers } from '@uig/testkit';
import { OpenAIClientCache, createOpenAIProvider, openaiPlugin } from '@uig/provider-openai';
import { call, inputImage, providerFor, startFake } from './helpers.js';

const fromConfig = (entry: ProviderConfig) =>
  entry.plugin.create({
    id: entry.id,
    baseURL: entry.baseURL,
    fetch: globalThis.fetch,
    options: entry.options,
  });

function writeConfig(text: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'uig-openai-'));
  const path = join(directory, 'uig.yaml');
  writeFileSync(path, text);
  return path;
}

t.test('an OpenAI-compatible provider configured in the file works side by side with OpenAI', async (t) => {
  const openaiFake = await startFake(t);
  // A LocalAI-like server: its own model name, DALL·E-2 rules.
  const localFake = await startFake(t, { models: { stablediffusion: 'dall-e-2' } });
  const path = writeConfig(`
providers:
  openai: {}
  localai:
    type: openai
    apiKey: env:LOCALAI_KEY
    baseURL: ${localFake.apiBaseURL}
    options:
      models:
        - { id: stablediffusion, family: dall-e-2, description: Stable Diffusion on LocalAI }
`);
  const config = loadConfig({
    env: {
      UIG_CONFIG: path,
      OPENAI_API_KEY: 'sk-openai',
      OPENAI_BASE_URL: openaiFake.apiBaseURL,
      LOCALAI_KEY: 'local-key',
    },
    plugins: [openaiPlugin],
  });
  t.same(
    config.providers.map((entry) => [entry.id, entry.type]),
    [
      ['openai', 'openai'],
      ['localai', 'openai'],
    ],
  );
  const [openaiEntry, localEntry] = config.providers as [ProviderConfig, ProviderConfig];
  const openai = fromConfig(openaiEntry);
  const local = fromConfig(localEntry);
  t.equal(local.id, 'localai');
  t.same(
    local.models.map((model) => model.id),
    ['stablediffusion'],
  );
  t.equal(local.defaultModel, 'stablediffusion');
  t.equal(local.models[0]!.capabilities.maxPromptLength, 1000);

  const [fromOpenAI, fromLocal] = await Promise.all([
    openai.generate(call({ credential: openaiEntry.credentials[0]! })),
    local.generate(
      call({
        model: 'stablediffusion',
        size: { width: 512, height: 512 },
        credential: localEntry.credentials[0]!,
      }),
    ),
  ]);
  t.equal(fromOpenAI.images.length, 1);
  t.equal(fromLocal.images.length, 1);
  t.equal(openaiFake.requests.length, 1);
  t.equal(localFake.requests.length, 1);
  t.equal(openaiFake.requests[0]!.headers.authorization, 'Bearer sk-openai');
  t.equal(localFake.requests[0]!.headers.authorization, 'Bearer local-key');
  t.match(localFake.requests[0]!.json, {
    model: 'stablediffusion',
    response_format: 'b64_json',
    size: '512x512',
  });

  // Errors and option params carry the extra provider's own id.
  const failure = await local
    .generate(
      call({
        model: 'stablediffusion',
        size: { width: 512, height: 512 },
        prompt: openaiTriggers.serverError,
        credential: localEntry.credentials[0]!,
      }),
    )
    .catch((error: unknown) => error);
  t.ok(failure instanceof UpstreamUnavailableError);
  t.equal(isUigError(failure) && failure.provider, 'localai');
  const refused = (() => {
    try {
      local.check!(call({ model: 'stablediffusion', providerOptions: { background: 'opaque' } }), 'generate');
    } catch (error) {
      return error;
    }
  })();
  t.ok(refused instanceof InvalidRequestError);
  t.equal(isUigError(refused) && refused.param, 'provider_options.localai.background');
});

t.test(
  'Azure-style settings: deployment path, api-version query, api-key header, extra headers',
  async (t) => {
    const fake = await startFake(t, { apiKeyHeader: 'api-key', acceptKey: (key) => key === 'azure-key' });
    const provider = createOpenAIProvider({
      id: 'azure',
      baseURL: `${fake.url}/openai`,
      fetch: globalThis.fetch,
      options: {
        apiKeyHeader: 'api-key',
        query: { 'api-version': '2025-04-01-preview' },
        headers: { 'x-team': 'design' },
        models: [{ id: 'gpt-image-1', deployment: 'image-deploy' }],
      },
    });
    const credential = { id: 'azure#1', apiKey: 'azure-key' };
    t.equal((await provider.generate(call({ credential }))).images.length, 1);
    t.equal((await provider.edit!(call({ credential, images: [inputImage(16, 16)] }))).images.length, 1);
    for (const [index, endpoint] of ['generations', 'edits'].entries()) {
      const request = fake.requests[index]!;
      t.equal(request.path, `/openai/deployments/image-deploy/images/${endpoint}`);
      t.equal(request.query.get('api-version'), '2025-04-01-preview');
      t.equal(request.headers['api-key'], 'azure-key');
      t.equal(request.headers.authorization, undefined, 'no Bearer header');
      t.equal(request.headers['x-team'], 'design');
    }
    // A declared built-in id keeps its built-in rules and price, but not OpenAI's lifecycle.
    t.match(provider.models[0]!.price, { perImage: [{ quality: 'low', size: '1024x1024', usd: 0.011 }] });
    t.notOk(provider.models[0]!.lifecycle);
    t.equal(provider.models[0]!.capabilities.maxInputImages, 16);
  },
);

t.test('declared models: family rules, size lists, delivery and the default', async (t) => {
  const fake = await startFake(t);
  const provider = providerFor(fake, {
    models: [
      { id: 'dall-e-2', description: 'old' },
      {
        id: 'flux-dev',
        family: 'gpt-image-2',
        sizes: ['1024x1024', '768x1344'],
        delivery: 'url',
        costPerImageUsd: 0.003,
      },
      { id: 'my-image' },
    ],
    defaultModel: 'flux-dev',
  });
  const byId = Object.fromEntries(provider.models.map((model) => [model.id, model]));
  t.equal(provider.defaultModel, 'flux-dev');
  t.notOk(byId['dall-e-2']!.lifecycle, "lifecycle is OpenAI's, not a compatible server's");
  t.equal(byId['dall-e-2']!.capabilities.maxInputImages, 1);
  t.same(byId['flux-dev']!.capabilities.sizes, { allowed: ['1024x1024', '768x1344'], default: '1024x1024' });
  t.equal(byId['flux-dev']!.capabilities.delivery, 'url');
  t.same(byId['flux-dev']!.price?.perImage, [{ usd: 0.003 }]);
  t.equal(byId['my-image']!.capabilities.maxPromptLength, 32000, 'gpt-image rules by default');
  t.notOk(byId['my-image']!.price, 'no price is made up for an unknown model');
});

t.test('bad settings stop startup naming the field', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['organisation: org-1', /providers\.openai\.options/],
    ['models: [{ id: a, family: dalle-3 }]', /providers\.openai\.options\.models\.0\.family/],
    ['models: [{ id: a }]\n      defaultModel: b', /providers\.openai\.options\.defaultModel/],
    ['models: [{ id: a }, { id: a }]', /providers\.openai\.options\.models/],
    ['apiKeyHeader: "api key"', /providers\.openai\.options\.apiKeyHeader/],
  ];
  for (const [options, field] of cases) {
    const path = writeConfig(`providers:\n  openai:\n    apiKey: sk-x\n    options:\n      ${options}\n`);
    const error = (() => {
      try {
        loadConfig({ env: { UIG_CONFIG: path }, plugins: [openaiPlugin] });
      } catch (caught) {
        return caught;
      }
    })();
    t.ok(error instanceof ConfigError, options);
    t.match((error as Error).message, field, options);
  }
});

t.test('one SDK client per credential and base URL, reused across calls', async (t) => {
  const cache = new OpenAIClientCache({ fetch: globalThis.fetch });
  const first = { id: 'openai#1', apiKey: 'sk-1' };
  const a = cache.clientFor(first, 'http://127.0.0.1:1/v1');
  t.equal(cache.clientFor({ ...first }, 'http://127.0.0.1:1/v1'), a, 'same credential, same client');
  t.not(cache.clientFor({ id: 'openai#2', apiKey: 'sk-2' }, 'http://127.0.0.1:1/v1'), a);
  t.not(cache.clientFor(first, 'http://127.0.0.1:2/v1'), a, 'another base URL (a deployment) gets its own');
  t.not(
    cache.clientFor({ id: 'openai#1', apiKey: 'sk-rotated' }, 'http://127.0.0.1:1/v1'),
    a,
    'a rotated key gets a new client',
  );
  t.equal(cache.size, 4);
  t.equal(a.maxRetries, 0, 'the SDK never retries');
});
