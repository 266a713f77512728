import t from 'tap';
import { checkPriceTable } from '@uig/testkit';
import { wanxPlugin } from '../src/index.js';

/**
 * DashScope (docs/providers/wanx.md §16): no USD price was read from a dated page (Qwen-Image
 * Plus is quoted at ¥0.2 an image by a relay), so every model's cost is unknown, never 0.
 */
t.test('WanX and Qwen-Image: unknown until a dated USD price is read', async (t) => {
  checkPriceTable(
    t,
    wanxPlugin,
    ['wanx2.1-t2i-turbo', 'wan2.6-t2i', 'qwen-image-plus', 'qwen-image-max', 'wanx2.1-imageedit'].map(
      (model) => ({ model, input: { images: 1, size: '1024x1024' }, usd: undefined, why: 'unknown' }),
    ),
  );
});
