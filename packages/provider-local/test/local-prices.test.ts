import t from 'tap';
import { checkPriceTable } from '@uig/testkit';
import { localPlugin } from '../src/index.js';

/** The offline renderer pays no one. */
t.test('local: free at every size', async (t) => {
  checkPriceTable(t, localPlugin, [
    { model: 'placeholder', input: { images: 4, size: '2048x2048' }, usd: 0, why: 'free' },
    { model: 'placeholder-blocks', input: { images: 1 }, usd: 0, why: 'free' },
  ]);
});
