import t, { type Test } from 'tap';
import {
  CredentialPool,
  ImageService,
  FileImageStore,
  isUigError,
  ModelRegistry,
  type ImageProvider,
} from '@uig/core';
import { model, pngResult, scriptedProvider } from './helpers.js';

const today = Date.parse('2026-11-27T10:00:00Z');

function service(t: Test, provider: ImageProvider, now = today) {
  const dir = t.testdir();
  return new ImageService({
    registry: new ModelRegistry([{ provider, type: provider.id }]),
    pools: new Map([
      [provider.id, new CredentialPool({ provider: provider.id, credentials: [{ id: 'v#1', apiKey: 'k' }] })],
    ]),
    store: new FileImageStore(dir),
    retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    upstreamTimeoutMs: 5000,
    downloadMaxBytes: 1024 * 1024,
    downloadTimeoutMs: 5000,
    now: () => now,
  });
}

const models = [
  model('current'),
  model('old', {}, { lifecycle: { status: 'retired', shutdownDate: '2026-05-12', replacement: 'current' } }),
  model(
    'fading',
    {},
    { lifecycle: { status: 'deprecated', shutdownDate: '2026-12-01', replacement: 'current' } },
  ),
  model('vague', {}, { lifecycle: { status: 'deprecated' } }),
];
const context = { requestId: 'req_1', signal: new AbortController().signal };
const request = (name: string) => ({
  kind: 'generate' as const,
  model: name,
  prompt: 'a cat',
  n: 1,
  images: [],
  providerOptions: {},
});

t.test('a retired model is a 400 model_retired naming the replacement, with no vendor call', async (t) => {
  const { provider, calls } = scriptedProvider('vendor', models, [() => pngResult()]);
  const error = await service(t, provider)
    .run(request('vendor/old'), context)
    .catch((caught: unknown) => caught);
  t.ok(isUigError(error));
  t.match(error, { code: 'MODEL_RETIRED', status: 400, param: 'model' });
  t.match((error as Error).message, /2026-05-12.*vendor\/current/);
  t.equal(calls.length, 0, 'the vendor was not called');
});

t.test('a deprecated model works, with a deprecated warning giving the shutdown date', async (t) => {
  const { provider, calls } = scriptedProvider('vendor', models, [() => pngResult()]);
  const result = await service(t, provider).run(request('vendor/fading'), context);
  t.equal(calls.length, 1);
  t.match(result.warnings, [
    { type: 'deprecated', feature: 'model', message: /2026-12-01.*vendor\/current/ },
  ]);
  const vague = await service(t, provider).run(request('vendor/vague'), context);
  t.match(vague.warnings, [{ type: 'deprecated', message: /no shutdown date announced/ }]);
  const current = await service(t, provider).run(request('vendor/current'), context);
  t.same(current.warnings, [], 'an active model has no lifecycle warning');
});

t.test('a deprecated model past its shutdown date is refused like a retired one', async (t) => {
  const { provider, calls } = scriptedProvider('vendor', models, [() => pngResult()]);
  const error = await service(t, provider, Date.parse('2026-12-01T00:00:01Z'))
    .run(request('vendor/fading'), context)
    .catch((caught: unknown) => caught);
  t.match(error, { code: 'MODEL_RETIRED' });
  t.equal(calls.length, 0);
});
