import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  InvalidRequestError,
  ModelNotFoundError,
  RequestAbortedError,
  PngStreamEncoder,
  type ImageProvider,
  type ProviderCall,
  type ProviderImage,
  type ProviderResult,
  type ProviderSettings,
  type Warning,
  type DecodedImage,
  type InputImage,
} from '@uig/core';
import { compositeEdit } from './edit-composite.js';
import { checkEditInput, decodeEditInput } from './edit-input.js';
import { varyImage } from './image-variation.js';
import { defaultLocalModel, localModelStyles, localModels, localSizeRules } from './local-models.js';
import { localOptionsSchema, type LocalOptions } from './local-options.js';
import { fitWithinRules, parseSize, sizeForAspectRatio, type PixelSize } from './output-size.js';
import type { PlaceholderStyle } from './placeholder-painter.js';
import {
  paintInBands,
  type PreparedPlaceholder,
  preparePlaceholder,
  seedFromPrompt,
} from './placeholder-render.js';
import { resampleImage } from './resample-image.js';

/**
 * The offline provider: draws procedural placeholders on this machine, so the
 * gateway works with no vendor key, and tests and demos get real PNGs for free.
 *
 * Determinism: image i of a call uses seed (call seed + i) mod 2^31, and when the
 * call has no seed the base is derived from the prompt (from the input image's bytes for
 * a variation, which has no prompt). So a batch of n is the same as n single calls with
 * consecutive seeds, and the seeds are returned in `metadata`.
 */
const defaultSize = parseSize(localSizeRules.default);
const limits = localSizeRules.custom!;
/** Seeds are 0 .. 2^31 - 1 (core's request schema). */
const seedRange = 2 ** 31;

/** Deflate level 1: smooth procedural pictures compress well even at the fastest level. */
const compressionLevel = 1;

/**
 * An edit's or a variation's PNG: its pixels are all final at once (composited after the
 * paint), and zlib compresses them on the thread pool, so the encode (about a third of a
 * 1024² render) never holds the event loop. Same bytes as `encodePng`.
 */
function encodeOffLoop(
  pixels: Uint8Array,
  size: { width: number; height: number },
  channels: 3 | 4,
): Promise<Buffer> {
  return new PngStreamEncoder({ ...size, channels }, compressionLevel).finish(pixels);
}

interface CallPlan {
  style: PlaceholderStyle;
  options: LocalOptions;
  seeds: number[];
}

export function createLocalProvider(settings: ProviderSettings): ImageProvider {
  const id = settings.id || 'local';

  const throwIfAborted = (signal: AbortSignal): void => {
    if (signal.aborted) throw new RequestAbortedError(undefined, { provider: id, cause: signal.reason });
  };

  /** Between bands of rows: let other requests run, and stop if this one was cancelled. */
  const pauseFor = (signal: AbortSignal) => async (): Promise<void> => {
    await yieldToEventLoop();
    throwIfAborted(signal);
  };

  /** `derivedSeed`: the base when the call has no seed (default: from the prompt). */
  const plan = (call: ProviderCall, derivedSeed = seedFromPrompt(call.prompt)): CallPlan => {
    const style = localModelStyles[call.model];
    if (!style)
      throw new ModelNotFoundError(`The local provider has no model '${call.model}'.`, { provider: id });
    const parsed = localOptionsSchema.safeParse(call.providerOptions ?? {});
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') ?? '';
      throw new InvalidRequestError(
        `Invalid provider_options.${id}: ${parsed.error.issues[0]?.message ?? 'not accepted'}.`,
        {
          provider: id,
          param: field ? `provider_options.${id}.${field}` : `provider_options.${id}`,
        },
      );
    }
    // Core's seed already counts this call's place in the request; a derived one must add it.
    const base = call.seed ?? (derivedSeed + (call.imageOffset ?? 0)) % seedRange;
    // Wraps like core's per-call offset (seed + offset mod 2^31), so a batch core split into calls equals one big batch.
    const seeds = Array.from({ length: Math.max(1, call.n) }, (_, index) => (base + index) % seedRange);
    return { style, options: parsed.data, seeds };
  };

  /** Core validates sizes against the model's rules; this only stops a direct caller from asking for gigabytes. */
  const assertRenderable = (size: PixelSize): void => {
    const valid = [size.width, size.height].every(
      (side) => Number.isInteger(side) && side >= 1 && side <= limits.maxSide,
    );
    if (!valid || size.width * size.height > limits.maxPixels) {
      throw new InvalidRequestError(
        `The local provider renders at most ${limits.maxSide} px per side and ${limits.maxPixels} pixels.`,
        {
          provider: id,
          param: 'size',
          code: 'INVALID_SIZE',
        },
      );
    }
  };

  const renderLayer = async (
    call: ProviderCall,
    plan: CallPlan,
    seed: number,
    size: PixelSize,
    prompt = call.prompt,
    painted?: (target: Uint8ClampedArray, toRow: number, placeholder: PreparedPlaceholder) => void,
  ) => {
    const target = new Uint8ClampedArray(size.width * size.height * 3);
    const placeholder = preparePlaceholder({
      model: call.model,
      style: plan.style,
      prompt,
      seed,
      ...size,
    });
    await paintInBands(
      placeholder,
      target,
      size.width,
      size.height,
      pauseFor(call.signal),
      painted && ((toRow) => painted(target, toRow, placeholder)),
    );
    return { target, placeholder };
  };

  const reportProgress = (call: ProviderCall, done: number, total: number): void => {
    call.onProgress?.({
      type: 'status',
      message: `Rendered placeholder ${done} of ${total}.`,
      progress: done,
      total,
    });
  };

  /** The output size of an edit or variation: as asked, else the input's, scaled down to what we render. */
  const outputSize = (call: ProviderCall, input: DecodedImage, warnings: Warning[]): PixelSize => {
    const asked =
      call.size ??
      (call.aspectRatio
        ? sizeForAspectRatio(call.aspectRatio, Math.min(input.width * input.height, limits.maxPixels))
        : undefined);
    if (asked) return asked;
    const size = fitWithinRules({ width: input.width, height: input.height }, localSizeRules);
    if (size.width !== input.width || size.height !== input.height) {
      warnings.push({
        type: 'adjusted',
        feature: 'size',
        message: `The input is ${input.width}x${input.height}; the output was scaled to ${size.width}x${size.height} to stay within ${limits.maxSide} px per side and ${limits.maxPixels} pixels.`,
      });
    }
    return size;
  };

  const firstImage = (call: ProviderCall, what: string): InputImage => {
    const [first] = call.images;
    if (!first)
      throw new InvalidRequestError(`${what} needs an input image.`, { provider: id, param: 'image' });
    return first;
  };

  const asBytes = (pixels: Uint8ClampedArray): Uint8Array =>
    new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);

  return {
    id,
    models: localModels,
    defaultModel: defaultLocalModel,
    optionsSchema: localOptionsSchema,

    async generate(call: ProviderCall): Promise<ProviderResult> {
      throwIfAborted(call.signal);
      const callPlan = plan(call);
      const size =
        call.size ??
        (call.aspectRatio
          ? sizeForAspectRatio(call.aspectRatio, defaultSize.width * defaultSize.height)
          : undefined) ??
        defaultSize;
      assertRenderable(size);
      const images: ProviderImage[] = [];
      const marked = callPlan.options.mark !== false;
      for (const seed of callPlan.seeds) {
        // Each painted band is compressed on the thread pool while the next one is painted;
        // the rows the mark covers wait for it (png-stream-encoder.ts).
        const png = new PngStreamEncoder({ ...size, channels: 3 }, compressionLevel);
        try {
          const { target, placeholder } = await renderLayer(
            call,
            callPlan,
            seed,
            size,
            call.prompt,
            (pixels, toRow, painter) =>
              png.feed(asBytes(pixels), marked ? Math.min(toRow, painter.markTop) : toRow),
          );
          if (marked) placeholder.drawMark(target, 3);
          throwIfAborted(call.signal);
          const data = await png.finish(asBytes(target));
          images.push({ kind: 'bytes', data, mimeType: 'image/png' });
        } catch (error) {
          png.abandon();
          throw error;
        }
        reportProgress(call, images.length, callPlan.seeds.length);
      }
      return { images, warnings: [], metadata: { seeds: callPlan.seeds } };
    },

    async edit(call: ProviderCall): Promise<ProviderResult> {
      throwIfAborted(call.signal);
      const callPlan = plan(call);
      const first = firstImage(call, 'An edit');
      const warnings: Warning[] = [];
      const input = decodeEditInput(first, 'image', id);
      let mask: DecodedImage | undefined = call.mask ? decodeEditInput(call.mask, 'mask', id) : undefined;
      throwIfAborted(call.signal);
      const size = outputSize(call, input, warnings);
      if (mask && (mask.width !== input.width || mask.height !== input.height)) {
        warnings.push({
          type: 'adjusted',
          feature: 'mask',
          message: `The mask is ${mask.width}x${mask.height} and the image ${input.width}x${input.height}; the mask was stretched to fit (nearest pixel).`,
        });
      }
      assertRenderable(size);
      const source = resampleImage(input, size.width, size.height);
      mask = mask ? resampleImage(mask, size.width, size.height, 'nearest') : undefined;

      const images: ProviderImage[] = [];
      for (const seed of callPlan.seeds) {
        const { target: layer, placeholder } = await renderLayer(call, callPlan, seed, size);
        throwIfAborted(call.signal);
        const pixels = compositeEdit(source, layer, mask);
        // With a mask, pixels outside the edited area must stay exactly as given, so the mark is only stamped on whole-image edits.
        if (!mask && callPlan.options.mark !== false) placeholder.drawMark(pixels, source.channels);
        const data = await encodeOffLoop(pixels, size, source.channels);
        images.push({ kind: 'bytes', data, mimeType: 'image/png' });
        reportProgress(call, images.length, callPlan.seeds.length);
      }
      return { images, warnings, metadata: { seeds: callPlan.seeds } };
    },

    /** Variations derived from the input image (image-variation.ts), seeded by its bytes unless the call has a seed. */
    async variation(call: ProviderCall): Promise<ProviderResult> {
      throwIfAborted(call.signal);
      const first = firstImage(call, 'A variation');
      const digest = createHash('sha256').update(first.data).digest();
      const callPlan = plan(call, digest.readUInt32BE(0) >>> 1);
      const warnings: Warning[] = [];
      const input = decodeEditInput(first, 'image', id);
      throwIfAborted(call.signal);
      const size = outputSize(call, input, warnings);
      assertRenderable(size);
      const source = resampleImage(input, size.width, size.height);
      // The layer's colours come from the image, as a generation's come from its prompt.
      const layerPrompt = `variation of ${digest.toString('hex')}`;
      const images: ProviderImage[] = [];
      for (const seed of callPlan.seeds) {
        const { target: layer, placeholder } = await renderLayer(call, callPlan, seed, size, layerPrompt);
        throwIfAborted(call.signal);
        const pixels = varyImage(source, layer, seed);
        if (callPlan.options.mark !== false) placeholder.drawMark(pixels, source.channels);
        const data = await encodeOffLoop(pixels, size, source.channels);
        images.push({ kind: 'bytes', data, mimeType: 'image/png' });
        reportProgress(call, images.length, callPlan.seeds.length);
      }
      return { images, warnings, metadata: { seeds: callPlan.seeds } };
    },

    check(call, kind) {
      if (kind === 'generate') return [];
      for (const image of call.images) checkEditInput(image, 'image', id);
      if (call.mask) checkEditInput(call.mask, 'mask', id);
      return [];
    },
  };
}
