import { estimateCost, type ModelPrice } from '@uig/core';
import t from 'tap';

const source = { readOn: '2026-11-01', source: 'https://vendor.example/pricing' };

t.test('per-image prices: the most specific entry wins', async (t) => {
  const price: ModelPrice = {
    ...source,
    perImage: [
      { usd: 0.04 },
      { usd: 0.08, quality: 'hd' },
      { usd: 0.06, size: '1024x1536' },
      { usd: 0.12, quality: 'hd', size: '1024x1536' },
      { usd: 0.15, size: '4K' },
    ],
  };
  t.same(estimateCost({ price }, { images: 2 }), { usd: 0.08, basis: 'per_image' });
  t.equal(estimateCost({ price }, { images: 1, quality: 'hd' }).usd, 0.08);
  t.equal(estimateCost({ price }, { images: 1, size: '1024x1536' }).usd, 0.06);
  t.equal(estimateCost({ price }, { images: 3, quality: 'hd', size: '1024x1536' }).usd, 0.36);
  t.equal(estimateCost({ price }, { images: 1, sizeTier: '4K' }).usd, 0.15);
});

t.test('token prices use the vendor split of input and output tokens', async (t) => {
  const price: ModelPrice = {
    ...source,
    perMillionTokens: { textInput: 5, imageInput: 10, imageOutput: 40 },
  };
  const estimate = estimateCost(
    { price },
    {
      images: 1,
      usage: {
        inputTokens: 300,
        outputTokens: 4160,
        inputTokensDetails: { textTokens: 100, imageTokens: 200 },
      },
    },
  );
  // 100 × 5 + 200 × 10 + 4160 × 40 = 168,900 per million.
  t.same(estimate, { usd: 0.1689, basis: 'tokens' });
});

t.test("the vendor's own cost wins, and no price is unknown rather than zero", async (t) => {
  t.same(
    estimateCost(
      { price: { ...source, perImage: [{ usd: 1 }] } },
      { images: 1, usage: { vendorCostUsd: 0.025 } },
    ),
    {
      usd: 0.025,
      basis: 'vendor',
    },
  );
  t.same(estimateCost({}, { images: 4 }), { usd: undefined, basis: 'unknown' });
  t.equal(
    estimateCost({ price: { ...source, perImage: [{ usd: 0 }] } }, { images: 4 }).usd,
    0,
    'a free model costs zero',
  );
});

t.test('per-megapixel prices: whole megapixels when rounded up, a first-megapixel price', async (t) => {
  const roundedUp: ModelPrice = { ...source, perMegapixel: { usd: 0.025, roundUp: true } };
  t.same(estimateCost({ price: roundedUp }, { images: 1, size: '1024x1024' }), {
    usd: 0.025,
    basis: 'per_megapixel',
  });
  t.equal(estimateCost({ price: roundedUp }, { images: 2, size: '1024x768' }).usd, 0.05);
  t.equal(estimateCost({ price: roundedUp }, { images: 1, size: '1536x1024' }).usd, 0.05, '1.5 MP bills 2');
  const firstAndExtra: ModelPrice = { ...source, perMegapixel: { firstUsd: 0.03, usd: 0.015 } };
  t.equal(estimateCost({ price: firstAndExtra }, { images: 1, size: '1024x1024' }).usd, 0.03);
  t.equal(estimateCost({ price: firstAndExtra }, { images: 1, size: '2048x1024' }).usd, 0.045);
  t.same(
    estimateCost({ price: firstAndExtra }, { images: 1 }),
    { usd: undefined, basis: 'unknown' },
    'no pixel size, no guess',
  );
});

t.test('per-megapixel prices in the vendor unit, with input megapixels billed per call', async (t) => {
  // BFL FLUX.2 [pro]: $0.03 first MP + $0.015 per further output MP and per input MP, 1 MP = 10^6 px.
  const bfl: ModelPrice = {
    ...source,
    perMegapixel: { firstUsd: 0.03, usd: 0.015, unit: 1_000_000 },
    perInputMegapixel: 0.015,
  };
  t.equal(estimateCost({ price: bfl }, { images: 1, size: '1000x1000' }).usd, 0.03);
  // 0.03 + 0.048576 × 0.015 = 0.03072864
  t.equal(estimateCost({ price: bfl }, { images: 1, size: '1024x1024' }).usd, 0.030729);
  // Two inputs of 1 MP and 0.5 MP: + 1.5 × 0.015.
  t.equal(
    estimateCost({ price: bfl }, { images: 1, size: '1000x1000', inputPixels: [1_000_000, 500_000] }).usd,
    0.0525,
  );
  t.equal(
    estimateCost({ price: bfl }, { images: 0, size: '1000x1000', inputPixels: [1_000_000] }).usd,
    0,
    'a call that made nothing is not billed for its inputs',
  );
});

t.test(
  'Gemini-style usage: image output tokens at the image rate, text output at the text rate',
  async (t) => {
    const price: ModelPrice = { ...source, perMillionTokens: { imageOutput: 60, textOutput: 3 } };
    const usage = { outputTokens: 1428, outputTokensDetails: { imageTokens: 1120, textTokens: 308 } };
    // 1120 × 60 + 308 × 3 = 67,200 + 924 = 68,124 per million.
    t.same(estimateCost({ price }, { images: 1, usage }), { usd: 0.068124, basis: 'tokens' });
  },
);
