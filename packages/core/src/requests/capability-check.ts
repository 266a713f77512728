import { InvalidRequestError, UnsupportedCapabilityError } from '../errors.js';
import type { ImageRequest } from './image-request.js';
import type {
  ModelCapabilities,
  ModelDescriptor,
  SizeRules,
  SizeTier,
  Warning,
} from '../providers/provider.js';
import { aspectRatioPattern, sizePattern } from './request-schemas.js';

/**
 * Checks a request against a model's capabilities before any vendor call, and
 * works out the settings to send. What the model cannot do at all is a 400 naming
 * it; what can be degraded (a seed the vendor ignores, a size mapped to the nearest
 * aspect ratio) goes through with a warning, never a silent change.
 */
export interface CallPlan {
  size?: { width: number; height: number };
  aspectRatio?: string;
  /** The model's resolution tier for the requested pixel size (ratio-only models with `sizeTiers`). */
  sizeTier?: string;
  quality?: string;
  seed?: number;
  negativePrompt?: string;
  /** Images per vendor call, summing to n. */
  batches: number[];
  warnings: Warning[];
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export function parseSize(size: string): { width: number; height: number } | undefined {
  const match = sizePattern.exec(size);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}

function parseRatio(ratio: string): number | undefined {
  const match = aspectRatioPattern.exec(ratio);
  if (!match || Number(match[2]) === 0 || Number(match[1]) === 0) return undefined;
  return Number(match[1]) / Number(match[2]);
}

function reduceRatio(width: number, height: number): string {
  const divisor = gcd(width, height);
  return `${width / divisor}:${height / divisor}`;
}

/** Why a size breaks the rules, or undefined when it fits. */
export function sizeViolation(size: { width: number; height: number }, rules: SizeRules): string | undefined {
  const text = `${size.width}x${size.height}`;
  if (rules.allowed?.includes(text)) return undefined;
  const custom = rules.custom;
  if (!custom) return `size ${text} is not one of ${rules.allowed?.join(', ')}`;
  const { width, height } = size;
  if (
    width < custom.minSide ||
    height < custom.minSide ||
    width > custom.maxSide ||
    height > custom.maxSide
  ) {
    return `each side must be between ${custom.minSide} and ${custom.maxSide} px`;
  }
  if (width % custom.multipleOf !== 0 || height % custom.multipleOf !== 0)
    return `each side must be a multiple of ${custom.multipleOf}`;
  if (width * height > custom.maxPixels) return `width x height must be at most ${custom.maxPixels} px`;
  if (custom.minPixels && width * height < custom.minPixels)
    return `width x height must be at least ${custom.minPixels} px`;
  if (custom.maxAspectRatio && Math.max(width, height) / Math.min(width, height) > custom.maxAspectRatio) {
    return `the long side may be at most ${custom.maxAspectRatio} times the short side`;
  }
  return undefined;
}

function describeSizes(rules: SizeRules): string {
  const parts = [];
  if (rules.allowed?.length) parts.push(`one of ${rules.allowed.join(', ')}`);
  if (rules.custom) {
    const c = rules.custom;
    parts.push(
      `any WxH with sides ${c.minSide}-${c.maxSide} px, multiples of ${c.multipleOf}, at most ${c.maxPixels} px in all`,
    );
  }
  return parts.join(', or ');
}

/** A size for an aspect ratio: an allowed size with that exact ratio, else one built within the custom rules. */
function sizeForRatio(ratio: string, rules: SizeRules): { width: number; height: number } | undefined {
  const target = parseRatio(ratio)!;
  const exact = (rules.allowed ?? [])
    .map((size) => parseSize(size)!)
    .filter((size) => Math.abs(size.width / size.height - target) < 1e-3);
  if (exact.length > 0) {
    const reference = parseSize(rules.default)!;
    const pixels = reference.width * reference.height;
    return exact.sort(
      (a, b) => Math.abs(a.width * a.height - pixels) - Math.abs(b.width * b.height - pixels),
    )[0];
  }
  const custom = rules.custom;
  if (!custom) return undefined;
  const reference = parseSize(rules.default)!;
  const pixels = Math.max(
    custom.minPixels ?? 0,
    Math.min(reference.width * reference.height, custom.maxPixels),
  );
  const step = custom.multipleOf;
  // Round the short side to the step, then derive the long side from the ratio and
  // round it too: flooring both can push a 3:1 ratio past a model's 3:1 limit.
  const wide = target >= 1;
  const longOverShort = wide ? target : 1 / target;
  const short = Math.max(step, Math.round(Math.sqrt(pixels / longOverShort) / step) * step);
  const candidates: { width: number; height: number }[] = [];
  for (const shortSide of [short, short - step, short + step]) {
    for (const longSide of [
      Math.round((shortSide * longOverShort) / step) * step,
      Math.floor((shortSide * longOverShort) / step) * step,
    ]) {
      candidates.push(wide ? { width: longSide, height: shortSide } : { width: shortSide, height: longSide });
    }
  }
  const valid = candidates.filter(
    (size) => size.width > 0 && size.height > 0 && sizeViolation(size, rules) === undefined,
  );
  const error = (size: { width: number; height: number }) =>
    Math.abs(Math.log(size.width / size.height / target)) * 100 +
    Math.abs(size.width * size.height - pixels) / pixels;
  return valid.sort((a, b) => error(a) - error(b))[0];
}

function nearestRatio(width: number, height: number, allowed: readonly string[]): string {
  const target = Math.log(width / height);
  return [...allowed].sort(
    (a, b) => Math.abs(Math.log(parseRatio(a)!) - target) - Math.abs(Math.log(parseRatio(b)!) - target),
  )[0]!;
}

/**
 * How far a size may stray from the ratio or resolution it is mapped to before the mapping
 * stops being an approximation and becomes a different image: a ratio 25 % wider or taller,
 * or less than half the pixels asked for.
 */
const maxRatioStray = 1.25;
const maxPixelShortfall = 2;
/** Within this, a tier's pixels count as the size asked for (vendors round each ratio's sides). */
const tierPixelTolerance = 1.1;

/**
 * The smallest tier that holds the size's pixels (more resolution than asked is an
 * approximation; less is a different image), refusing a size far above the largest.
 */
function planTier(
  size: { width: number; height: number },
  text: string,
  tiers: readonly SizeTier[],
): { tier: SizeTier; exact: boolean } {
  const pixels = size.width * size.height;
  const tierPixels = (tier: SizeTier) => tier.side * tier.side;
  const largest = tiers[tiers.length - 1]!;
  if (pixels > maxPixelShortfall * tierPixels(largest)) {
    const choices =
      tiers.length > 1
        ? `its resolutions are ${tiers.map((tier) => tier.name).join(', ')}`
        : 'it has one resolution';
    throw new InvalidRequestError(
      `size ${text} is larger than this model can make: ${choices}, the largest about ${largest.side}x${largest.side} pixels (${largest.name}). Ask for a smaller size, or choose a model with a larger resolution (GET /v1/models).`,
      { param: 'size', code: 'INVALID_SIZE' },
    );
  }
  const tier = tiers.find((candidate) => pixels <= tierPixelTolerance * tierPixels(candidate)) ?? largest;
  return { tier, exact: Math.abs(Math.log(pixels / tierPixels(tier))) <= Math.log(tierPixelTolerance) };
}

/** A pixel size for a model that takes aspect ratios (and maybe resolution tiers): the nearest ratio, the tier that holds it. */
function sizeToRatio(
  requestedSize: { width: number; height: number },
  text: string,
  capabilities: ModelCapabilities,
  warnings: Warning[],
): Pick<CallPlan, 'aspectRatio' | 'sizeTier'> {
  const ratios = capabilities.aspectRatios!;
  const exactRatio = reduceRatio(requestedSize.width, requestedSize.height);
  const ratio = ratios.includes(exactRatio)
    ? exactRatio
    : nearestRatio(requestedSize.width, requestedSize.height, ratios);
  const stray = Math.abs(Math.log(requestedSize.width / requestedSize.height / parseRatio(ratio)!));
  if (stray > Math.log(maxRatioStray)) {
    throw new InvalidRequestError(
      `size ${text} (${exactRatio}) is too far from every aspect ratio this model makes (the nearest is ${ratio}). Use a size or aspect_ratio of ${ratios.join(', ')}.`,
      { param: 'size', code: 'INVALID_SIZE' },
    );
  }
  const tiers = capabilities.sizeTiers;
  const planned = tiers?.length ? planTier(requestedSize, text, tiers) : undefined;
  const at = planned
    ? tiers!.length > 1
      ? ` at resolution ${planned.tier.name} (about ${planned.tier.side}x${planned.tier.side} pixels in all)`
      : ` at its one resolution, ${planned.tier.name} (about ${planned.tier.side}x${planned.tier.side} pixels in all)`
    : '';
  const exact = ratio === exactRatio && (planned?.exact ?? true);
  warnings.push({
    type: 'adjusted',
    feature: 'size',
    message: exact
      ? `This model takes aspect ratios, not pixel sizes: size ${text} was sent as aspect ratio ${ratio}${at}; the vendor picks the exact pixels.`
      : `size ${text} was mapped to this model's nearest aspect ratio, ${ratio}${at}.`,
  });
  return { aspectRatio: ratio, ...(planned ? { sizeTier: planned.tier.name } : {}) };
}

/** OpenAI and vendor quality words that mean the same thing. */
const qualityEquivalents: Record<string, string[]> = {
  hd: ['high'],
  high: ['hd'],
  standard: ['medium', 'low'],
  medium: ['standard'],
  low: ['standard'],
};

function planQuality(
  requested: string | undefined,
  capabilities: ModelCapabilities,
  warnings: Warning[],
): string | undefined {
  if (requested === undefined || requested === 'auto') return undefined;
  const allowed = capabilities.qualities;
  if (!allowed) {
    warnings.push({
      type: 'unsupported',
      feature: 'quality',
      message: `This model has no quality setting; quality "${requested}" was not applied.`,
    });
    return undefined;
  }
  if (allowed.includes(requested)) return requested;
  const equivalent = qualityEquivalents[requested]?.find((value) => allowed.includes(value));
  if (equivalent) {
    warnings.push({
      type: 'adjusted',
      feature: 'quality',
      message: `quality "${requested}" was sent as "${equivalent}", this model's nearest value.`,
    });
    return equivalent;
  }
  throw new InvalidRequestError(
    `quality "${requested}" is not supported by this model; use one of ${allowed.join(', ')}.`,
    { param: 'quality', code: 'INVALID_QUALITY' },
  );
}

function planSize(
  request: ImageRequest,
  capabilities: ModelCapabilities,
  warnings: Warning[],
): Pick<CallPlan, 'size' | 'aspectRatio' | 'sizeTier'> {
  const requestedSize = request.size && request.size !== 'auto' ? parseSize(request.size) : undefined;
  if (request.size && request.size !== 'auto' && !requestedSize) {
    throw new InvalidRequestError(`size "${request.size}" must be WIDTHxHEIGHT, e.g. 1024x1024.`, {
      param: 'size',
      code: 'INVALID_SIZE',
    });
  }
  if (request.aspectRatio && parseRatio(request.aspectRatio) === undefined) {
    throw new InvalidRequestError(
      `aspect_ratio "${request.aspectRatio}" must be W:H with non-zero numbers, e.g. 16:9.`,
      { param: 'aspect_ratio', code: 'INVALID_ASPECT_RATIO' },
    );
  }
  if (
    requestedSize &&
    request.aspectRatio &&
    Math.abs(requestedSize.width / requestedSize.height - parseRatio(request.aspectRatio)!) > 0.01
  ) {
    throw new InvalidRequestError(
      `size ${request.size} does not have aspect_ratio ${request.aspectRatio}; give one of them.`,
      { param: 'aspect_ratio', code: 'CONFLICTING_SIZE' },
    );
  }

  // An edit or variation with no size keeps the input's size: the vendor (or local) decides.
  if (request.kind !== 'generate' && !requestedSize && !request.aspectRatio) return {};

  if (capabilities.sizes) {
    const rules = capabilities.sizes;
    if (requestedSize) {
      const violation = sizeViolation(requestedSize, rules);
      if (violation) {
        throw new InvalidRequestError(
          `size ${request.size} is not supported by this model: ${violation}. Use ${describeSizes(rules)}.`,
          { param: 'size', code: 'INVALID_SIZE' },
        );
      }
      return { size: requestedSize };
    }
    if (request.aspectRatio) {
      const size = sizeForRatio(request.aspectRatio, rules);
      if (!size) {
        throw new InvalidRequestError(
          `aspect_ratio ${request.aspectRatio} cannot be served by this model. Use ${describeSizes(rules)}.`,
          { param: 'aspect_ratio', code: 'INVALID_ASPECT_RATIO' },
        );
      }
      return { size };
    }
    return { size: parseSize(rules.default)! };
  }

  if (!capabilities.aspectRatios) {
    // The model keeps the input's size (WanX image edits): nothing to map to.
    const given = request.aspectRatio ? 'aspect_ratio' : requestedSize ? 'size' : undefined;
    if (given)
      warnings.push({
        type: 'unsupported',
        feature: given,
        message: `This model sets the output size itself; ${given} was not applied.`,
      });
    return {};
  }
  const ratios = capabilities.aspectRatios;
  if (request.aspectRatio) {
    if (!ratios.includes(request.aspectRatio)) {
      throw new InvalidRequestError(
        `aspect_ratio ${request.aspectRatio} is not supported by this model; use one of ${ratios.join(', ')}.`,
        { param: 'aspect_ratio', code: 'INVALID_ASPECT_RATIO' },
      );
    }
    // Both given (they agree, checked above): the ratio as asked, the size picks the resolution.
    const tiers = capabilities.sizeTiers;
    if (requestedSize && tiers?.length) {
      const { tier } = planTier(requestedSize, request.size!, tiers);
      return { aspectRatio: request.aspectRatio, sizeTier: tier.name };
    }
    return { aspectRatio: request.aspectRatio };
  }
  if (requestedSize) return sizeToRatio(requestedSize, request.size!, capabilities, warnings);
  return {};
}

export function splitBatches(n: number, perCall: number): number[] {
  const batches: number[] = [];
  for (let left = n; left > 0; left -= perCall) batches.push(Math.min(perCall, left));
  return batches;
}

export function planCall(request: ImageRequest, model: ModelDescriptor, modelName: string): CallPlan {
  const capabilities = model.capabilities;
  const warnings: Warning[] = [];

  if (request.kind === 'generate' && !capabilities.generate) {
    throw new UnsupportedCapabilityError(`${modelName} only edits images: give an input image.`, {
      param: 'image',
      code: 'IMAGE_REQUIRED',
    });
  }
  if (request.kind === 'edit' && !capabilities.edit) {
    throw new UnsupportedCapabilityError(
      `${modelName} cannot edit images; choose a model whose capabilities list edit (GET /v1/models).`,
      { param: 'image', code: 'EDIT_NOT_SUPPORTED' },
    );
  }
  if (request.kind === 'variation') {
    if (!capabilities.variation)
      throw new UnsupportedCapabilityError(
        `${modelName} cannot make variations; choose a model whose capabilities list variation (GET /v1/models).`,
        { param: 'model', code: 'VARIATION_NOT_SUPPORTED' },
      );
    if (request.images.length !== 1 || request.mask)
      throw new InvalidRequestError('A variation takes exactly one image and no mask.', {
        param: 'image',
        code: 'INVALID_PARAMETER',
      });
  }
  if (request.mask && !capabilities.mask) {
    throw new UnsupportedCapabilityError(
      `${modelName} does not take a mask; remove it or choose a model that supports masks.`,
      { param: 'mask', code: 'MASK_NOT_SUPPORTED' },
    );
  }
  if (request.kind !== 'variation' && request.images.length > capabilities.maxInputImages) {
    throw new UnsupportedCapabilityError(
      `${modelName} takes at most ${capabilities.maxInputImages} input image(s); ${request.images.length} were given.`,
      { param: 'image', code: 'TOO_MANY_IMAGES' },
    );
  }
  if (request.n > capabilities.maxImagesPerRequest) {
    throw new InvalidRequestError(
      `${modelName} makes at most ${capabilities.maxImagesPerRequest} image(s) per request; n was ${request.n}.`,
      { param: 'n', code: 'INVALID_N' },
    );
  }
  if (request.prompt.length > capabilities.maxPromptLength) {
    throw new InvalidRequestError(
      `prompt is ${request.prompt.length} characters; ${modelName} takes at most ${capabilities.maxPromptLength}.`,
      { param: 'prompt', code: 'PROMPT_TOO_LONG' },
    );
  }

  const plan: CallPlan = {
    ...planSize(request, capabilities, warnings),
    batches: splitBatches(request.n, capabilities.maxImagesPerCall),
    warnings,
  };
  const quality = planQuality(request.quality, capabilities, warnings);
  if (quality !== undefined) plan.quality = quality;

  if (request.seed !== undefined) {
    if (capabilities.seed) plan.seed = request.seed;
    else
      warnings.push({
        type: 'unsupported',
        feature: 'seed',
        message: `${modelName} does not take a seed; results are not reproducible.`,
      });
  }
  if (request.negativePrompt !== undefined) {
    if (capabilities.negativePrompt) plan.negativePrompt = request.negativePrompt;
    else
      warnings.push({
        type: 'unsupported',
        feature: 'negative_prompt',
        message: `${modelName} does not take a negative prompt; it was not applied.`,
      });
  }
  return plan;
}
