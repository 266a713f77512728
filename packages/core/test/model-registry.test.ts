import t from 'tap';
import { type InvalidRequestError, ModelNotFoundError, ModelRegistry } from '@uig/core';
import { model, scriptedProvider, pngResult } from './helpers.js';

const a = scriptedProvider('alpha', [model('one'), model('shared')], [() => pngResult()]).provider;
const b = scriptedProvider('beta', [model('two'), model('shared')], [() => pngResult()]).provider;
const registry = new ModelRegistry(
  [
    { provider: a, type: 'alpha' },
    { provider: b, type: 'beta' },
  ],
  { aliases: { fast: 'beta/two' } },
);

t.test('provider/model, a bare unique name, and an alias resolve', async (t) => {
  t.equal(registry.resolve('beta/shared').name, 'beta/shared');
  t.equal(registry.resolve('one').name, 'alpha/one');
  t.equal(registry.resolve('fast').name, 'beta/two');
});

t.test("no model means the default: configured, else the first provider's", async (t) => {
  t.equal(registry.resolve(undefined).name, 'alpha/one');
  const configured = new ModelRegistry(
    [
      { provider: a, type: 'alpha' },
      { provider: b, type: 'beta' },
    ],
    { defaultModel: 'beta/two' },
  );
  t.equal(configured.resolve(undefined).name, 'beta/two');
});

t.test('an ambiguous bare name is a 400 listing the choices; unknown names are 404', async (t) => {
  const ambiguous = t.throws(() => registry.resolve('shared')) as InvalidRequestError;
  t.equal(ambiguous.code, 'AMBIGUOUS_MODEL');
  t.equal(ambiguous.status, 400);
  t.ok(t.throws(() => registry.resolve('nope')) instanceof ModelNotFoundError);
  t.ok(t.throws(() => registry.resolve('gamma/one')) instanceof ModelNotFoundError);
  t.ok(t.throws(() => registry.resolve('alpha/two')) instanceof ModelNotFoundError);
});

t.test('list names every model of every provider', async (t) => {
  t.same(
    registry.list().map((entry) => entry.name),
    ['alpha/one', 'alpha/shared', 'beta/two', 'beta/shared'],
  );
});

t.test('vendor ids with slashes: only the first slash separates the provider', async (t) => {
  const fal = scriptedProvider(
    'fal',
    [model('fal-ai/flux/dev'), model('fal-ai/flux/schnell')],
    [() => pngResult()],
  ).provider;
  const replicate = scriptedProvider(
    'replicate',
    [model('black-forest-labs/flux-schnell'), model('fal-ai/flux/dev')],
    [() => pngResult()],
  ).provider;
  const slashed = new ModelRegistry(
    [
      { provider: fal, type: 'fal' },
      { provider: replicate, type: 'replicate' },
    ],
    { aliases: { quick: 'fal/fal-ai/flux/schnell' } },
  );
  const dev = slashed.resolve('fal/fal-ai/flux/dev');
  t.equal(dev.provider.id, 'fal');
  t.equal(dev.model.id, 'fal-ai/flux/dev');
  t.equal(dev.name, 'fal/fal-ai/flux/dev');
  t.equal(
    slashed.resolve('replicate/black-forest-labs/flux-schnell').model.id,
    'black-forest-labs/flux-schnell',
  );
  t.equal(slashed.resolve('quick').name, 'fal/fal-ai/flux/schnell');
  // A bare id holding slashes resolves when one provider serves it; `black-forest-labs` is no provider.
  t.equal(slashed.resolve('black-forest-labs/flux-schnell').name, 'replicate/black-forest-labs/flux-schnell');
  const ambiguous = t.throws(() => slashed.resolve('fal-ai/flux/dev')) as InvalidRequestError;
  t.equal(ambiguous.code, 'AMBIGUOUS_MODEL');
  t.ok(t.throws(() => slashed.resolve('fal/fal-ai/flux')) instanceof ModelNotFoundError);
  t.ok(t.throws(() => slashed.resolve('fal/black-forest-labs/flux-schnell')) instanceof ModelNotFoundError);
  t.ok(t.throws(() => slashed.resolve('stability/sd3')) instanceof ModelNotFoundError);
});
