import t from 'tap';
import { checkPriceTable } from '@uig/testkit';
import { replicatePlugin } from '../src/index.js';

/**
 * Replicate prices per model, per image or per second of compute (docs/providers/replicate.md):
 * none is built in; a model declared in the config file carries its own dated price.
 */
t.test('Replicate: built-in models unknown, a declared one at its declared price', async (t) => {
  checkPriceTable(t, replicatePlugin, [
    { model: 'black-forest-labs/flux-schnell', input: { images: 4 }, usd: undefined, why: 'unknown' },
  ]);
  checkPriceTable(
    t,
    replicatePlugin,
    [{ model: 'acme/painter', input: { images: 2 }, usd: 0.006, why: '2 × the declared $0.003' }],
    {
      models: [
        {
          id: 'acme/painter',
          price: { usd: 0.003, readOn: '2026-11-20', source: 'https://replicate.com/acme/painter' },
        },
      ],
    },
  );
});
