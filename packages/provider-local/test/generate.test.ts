import t from 'tap';
import { RequestAbortedError, decodePng, encodePng, sniffImage, type ProgressEvent } from '@uig/core';
import { createLocalProvider, localPlugin } from '../src/index.js';
import { paintInBands, renderPlaceholderPixels, seedFromPrompt } from '../src/placeholder-render.js';
import { imageBytes, meanDifference, providerCall, rejection } from './provider-call.js';

const provider = createLocalProvider({ id: 'local', baseURL: '', fetch: globalThis.fetch, options: {} });
const pixelsOf = (png: Uint8Array) => decodePng(png, { maxPixels: 1 << 24 }).pixels;
const same = (left: Uint8Array, right: Uint8Array) =>
  Buffer.compare(Buffer.from(left), Buffer.from(right)) === 0;

t.test(
  'the plugin is keyless, has no env and no base URL, and creates the provider under the configured id',
  async (t) => {
    t.match(localPlugin, { type: 'local', keyless: true, defaultBaseURL: '' });
    t.equal(localPlugin.env, undefined);
    const created = localPlugin.create({ id: 'offline', baseURL: '', fetch: globalThis.fetch, options: {} });
    t.equal(created.id, 'offline');
    t.equal(created.defaultModel, 'placeholder');
    t.ok(
      created.models.every((model) => /not a generative model/.test(model.description)),
      'every description says it is a placeholder',
    );
    t.ok(
      created.models.every(
        (model) =>
          model.price?.perImage?.[0]?.usd === 0 && model.capabilities.edit && model.capabilities.mask,
      ),
    );
    t.equal(localPlugin.settingsSchema?.safeParse({}).success, true);
    t.equal(localPlugin.settingsSchema?.safeParse({ anything: 1 }).success, false);
  },
);

t.test('returns a PNG of exactly the requested size, for each model', async (t) => {
  const sizes = [
    { width: 64, height: 64 },
    { width: 100, height: 75 },
    { width: 1024, height: 1024 },
    { width: 1792, height: 1024 },
    { width: 333, height: 2048 },
  ];
  for (const model of ['placeholder', 'placeholder-blocks']) {
    for (const size of sizes) {
      const result = await provider.generate(providerCall({ model, size }));
      const [png] = imageBytes(result);
      t.same(
        sniffImage(png!),
        { mimeType: 'image/png', extension: 'png', ...size },
        `${model} ${size.width}x${size.height}`,
      );
      t.equal(result.images[0]?.mimeType, 'image/png');
    }
  }
});

t.test('the same request gives the same bytes, even from a new provider instance', async (t) => {
  const again = createLocalProvider({ id: 'local', baseURL: '', fetch: globalThis.fetch, options: {} });
  for (const model of ['placeholder', 'placeholder-blocks']) {
    const call = providerCall({ model, seed: 42, n: 2 });
    const first = imageBytes(await provider.generate(call));
    const second = imageBytes(await again.generate(call));
    t.equal(first.length, 2);
    first.forEach((png, index) => t.ok(same(png, second[index]!), `${model} image ${index}`));
  }
});

t.test('different seeds, prompts and models give visibly different images', async (t) => {
  const render = async (overrides: Parameters<typeof providerCall>[0]) =>
    pixelsOf(imageBytes(await provider.generate(providerCall(overrides)))[0]!);
  const base = await render({ seed: 1 });
  t.ok(meanDifference(base, await render({ seed: 2 })) > 8, 'seed');
  t.ok(meanDifference(base, await render({ seed: 1, prompt: 'a bowl of ramen' })) > 8, 'prompt');
  t.ok(meanDifference(base, await render({ seed: 1, model: 'placeholder-blocks' })) > 8, 'model');
});

t.test('without a seed the image is derived from the prompt, and the seeds used are reported', async (t) => {
  const call = providerCall({ n: 2 });
  const first = await provider.generate(call);
  const second = await provider.generate(call);
  t.ok(same(imageBytes(first)[0]!, imageBytes(second)[0]!));
  const base = seedFromPrompt(call.prompt);
  t.same(first.metadata, { seeds: [base, base + 1] });
  t.ok(base >= 0 && base <= 0x7fffffff, 'fits a signed 32-bit seed');
  const explicit = await provider.generate({ ...call, n: 1, seed: base });
  t.ok(same(imageBytes(first)[0]!, imageBytes(explicit)[0]!), 'the reported seed reproduces the image');
});

t.test('n images in one call are distinct, and equal single calls with consecutive seeds', async (t) => {
  const batch = imageBytes(await provider.generate(providerCall({ n: 4, seed: 7 })));
  t.equal(batch.length, 4);
  for (let left = 0; left < batch.length; left++) {
    for (let right = left + 1; right < batch.length; right++) {
      t.ok(
        meanDifference(pixelsOf(batch[left]!), pixelsOf(batch[right]!)) > 8,
        `images ${left} and ${right} differ`,
      );
    }
  }
  const third = imageBytes(await provider.generate(providerCall({ n: 1, seed: 9 })))[0]!;
  t.ok(same(batch[2]!, third), 'image 2 of seed 7 is image 0 of seed 9');
  const wrapped = await provider.generate(providerCall({ n: 2, seed: 2 ** 31 - 1 }));
  t.same(wrapped.metadata, { seeds: [2 ** 31 - 1, 0] }, 'seeds wrap at 2^31 as core offsets them');
  t.ok(
    same(imageBytes(wrapped)[1]!, imageBytes(await provider.generate(providerCall({ n: 1, seed: 0 })))[0]!),
  );
});

t.test('the mark can be turned off, and only changes the bottom-left corner', async (t) => {
  const size = { width: 512, height: 256 };
  const marked = pixelsOf(imageBytes(await provider.generate(providerCall({ size, seed: 3 })))[0]!);
  const plain = pixelsOf(
    imageBytes(
      await provider.generate(providerCall({ size, seed: 3, providerOptions: { mark: false } })),
    )[0]!,
  );
  let changed = 0;
  let outside = 0;
  for (let pixel = 0; pixel < size.width * size.height; pixel++) {
    const offset = pixel * 3;
    if (
      marked[offset] === plain[offset] &&
      marked[offset + 1] === plain[offset + 1] &&
      marked[offset + 2] === plain[offset + 2]
    )
      continue;
    changed++;
    const x = pixel % size.width;
    const y = Math.floor(pixel / size.width);
    if (x > size.width / 2 || y < size.height / 2) outside++;
  }
  t.ok(changed > 500, `the mark changed ${changed} pixels`);
  t.equal(outside, 0, 'nothing outside the corner changed');
  t.equal(
    (await provider.generate(providerCall({ providerOptions: { mark: null } }))).images.length,
    1,
    'null means not given',
  );
});

t.test('an aspect ratio without a size is honoured', async (t) => {
  const [png] = imageBytes(await provider.generate(providerCall({ size: undefined, aspectRatio: '16:9' })));
  const info = sniffImage(png!)!;
  t.ok(Math.abs(info.width / info.height - 16 / 9) < 0.02, `${info.width}x${info.height}`);
  const [square] = imageBytes(await provider.generate(providerCall({ size: undefined })));
  t.match(sniffImage(square!), { width: 1024, height: 1024 }, 'no size at all: the default');
});

t.test('provider options are strict', async (t) => {
  t.equal(provider.optionsSchema.safeParse({}).success, true);
  t.equal(provider.optionsSchema.safeParse({ mark: false }).success, true);
  t.equal(provider.optionsSchema.safeParse({ style: 'blocks' }).success, false, 'unknown key');
  t.equal(provider.optionsSchema.safeParse({ mark: 'no' }).success, false, 'wrong type');
  const error = await rejection(provider.generate(providerCall({ providerOptions: { watermark: false } })));
  t.match(error, { code: 'INVALID_REQUEST', param: 'provider_options.local' });
});

t.test('a size beyond what the renderer draws is refused even if core let it through', async (t) => {
  t.match(await rejection(provider.generate(providerCall({ size: { width: 4096, height: 4096 } }))), {
    code: 'INVALID_SIZE',
    param: 'size',
  });
  t.match(await rejection(provider.generate(providerCall({ size: { width: 0, height: 10 } }))), {
    code: 'INVALID_SIZE',
  });
});

t.test('an unknown model is refused', async (t) => {
  t.match(await rejection(provider.generate(providerCall({ model: 'dall-e-3' }))), {
    code: 'MODEL_NOT_FOUND',
  });
});

t.test('an aborted call stops: before it starts, and between images', async (t) => {
  const before = new AbortController();
  before.abort();
  const progress: ProgressEvent[] = [];
  const early = await rejection(
    provider.generate(providerCall({ signal: before.signal, onProgress: (event) => progress.push(event) })),
  );
  t.ok(early instanceof RequestAbortedError);
  t.match(early, { code: 'REQUEST_ABORTED', provider: 'local' });
  t.equal(progress.length, 0);

  const during = new AbortController();
  const seen: ProgressEvent[] = [];
  const stopped = await rejection(
    provider.generate(
      providerCall({
        n: 4,
        signal: during.signal,
        onProgress: (event) => {
          seen.push(event);
          during.abort();
        },
      }),
    ),
  );
  t.ok(stopped instanceof RequestAbortedError);
  t.equal(seen.length, 1, 'no image after the one during which it was aborted');
  t.match(seen[0], { type: 'status', progress: 1, total: 4 });
});

t.test('an abort right after the call starts stops it before the image is finished', async (t) => {
  const controller = new AbortController();
  const progress: ProgressEvent[] = [];
  const pending = provider.generate(
    providerCall({
      size: { width: 2048, height: 2048 },
      signal: controller.signal,
      onProgress: (event) => progress.push(event),
    }),
  );
  // generate has returned its promise and is waiting for its first chance to paint.
  controller.abort();
  t.ok((await rejection(pending)) instanceof RequestAbortedError);
  t.equal(progress.length, 0, 'the image was never finished');
});

t.test(
  'an abort while an image is being painted stops it within a band, not at the end of the image',
  async (t) => {
    const controller = new AbortController();
    let settled = false;
    // 2048x2048 paints in 32 bands with a yield before each; count event-loop turns until the call gives up.
    const pending = provider
      .generate(providerCall({ size: { width: 2048, height: 2048 }, signal: controller.signal }))
      .finally(() => {
        settled = true;
      });
    let turns = 0;
    const turn = (): void => {
      if (settled) return;
      turns++;
      if (turns === 3) controller.abort();
      setImmediate(turn);
    };
    setImmediate(turn);
    t.ok((await rejection(pending)) instanceof RequestAbortedError);
    t.ok(turns < 8, `gave up ${turns - 3} turns after the abort`);
  },
);

t.test(
  'painting in bands gives the pause a chance between bands, and a throwing pause stops the painting',
  async (t) => {
    const painted: [number, number][] = [];
    const painter = {
      paintRows: (_target: Uint8ClampedArray, fromRow: number, toRow: number) =>
        void painted.push([fromRow, toRow]),
    };
    const width = 1 << 16; // four rows per band
    await paintInBands(painter, new Uint8ClampedArray(0), width, 10, async () => {});
    t.same(
      painted,
      [
        [0, 4],
        [4, 8],
        [8, 10],
      ],
      'bands cover every row once',
    );

    painted.length = 0;
    let pauses = 0;
    const error = await rejection(
      paintInBands(painter, new Uint8ClampedArray(0), width, 10, async () => {
        if (++pauses === 3) throw new RequestAbortedError();
      }),
    );
    t.ok(error instanceof RequestAbortedError);
    t.same(
      painted,
      [
        [0, 4],
        [4, 8],
      ],
      'nothing painted after the pause threw',
    );
  },
);

t.test('unseeded calls that core split continue the sequence instead of repeating it', async (t) => {
  const first = await provider.generate(
    providerCall({ prompt: 'split me', n: 2, size: { width: 64, height: 64 } }),
  );
  const second = await provider.generate(
    providerCall({ prompt: 'split me', n: 2, imageOffset: 2, size: { width: 64, height: 64 } }),
  );
  const firstSeeds = first.metadata?.seeds as number[];
  const secondSeeds = second.metadata?.seeds as number[];
  t.same(
    secondSeeds,
    firstSeeds.map((seed) => (seed + 2) % 2 ** 31),
  );
  t.notSame(imageBytes(second)[0], imageBytes(first)[0]);
});

t.test('the PNG compressed band by band is the one painted, marked and encoded in one go', async (t) => {
  // 1024 wide: several bands, and the mark's rows wait for the mark.
  const size = { width: 1024, height: 700 };
  for (const [model, style] of [
    ['placeholder', 'gradient'],
    ['placeholder-blocks', 'blocks'],
  ] as const) {
    const result = await provider.generate(providerCall({ model, size, seed: 42, prompt: 'a harbour' }));
    const painted = renderPlaceholderPixels({ model, style, prompt: 'a harbour', seed: 42, ...size });
    const pixels = new Uint8Array(painted.buffer, painted.byteOffset, painted.byteLength);
    const expected = encodePng({ ...size, channels: 3, pixels, level: 1 });
    t.ok(Buffer.from(imageBytes(result)[0]!).equals(expected), `${model}: byte for byte`);
  }
});
