import t from 'tap';
import { checkPriceTable } from '@uig/testkit';
import { seedreamPlugin } from '../src/index.js';

/** Seedream (docs/providers/seedream.md §16): no official price page was captured, so the cost is unknown, never 0. */
t.test('Seedream: unknown, even with the tokens the answer reports', async (t) => {
  checkPriceTable(t, seedreamPlugin, [
    {
      model: 'seedream-4-0-250828',
      input: { images: 1, size: '2048x2048', usage: { outputTokens: 16280 } },
      usd: undefined,
      why: 'no token price known',
    },
    { model: 'seedream-5-0-260128', input: { images: 2 }, usd: undefined, why: 'unknown' },
  ]);
});
