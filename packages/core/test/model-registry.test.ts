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
