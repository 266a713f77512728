import type { ImagePrice, ModelDescriptor, ProviderUsage } from '../providers/provider.js';

/** What a finished (or planned) call is priced on. */
export interface CostInput {
  /** Images delivered (or, for a reservation, asked for). */
  images: number;
  /** `WxH` the call was made at, when the model takes pixel sizes. */
  size?: string;
  /** A vendor size tier (`1K`, `2K`, `4K`), when the model prices by tier. */
  sizeTier?: string;
  quality?: string;
  /** The vendor's own token counts, when it bills tokens. */
  usage?: ProviderUsage;
  /** Pixels of each input image of an edit, for models that bill inputs by the megapixel. */
  inputPixels?: readonly number[];
}

export interface CostEstimate {
  /** USD, rounded to a millionth; `undefined` when the model has no known price. */
  usd: number | undefined;
  /** How it was computed: the vendor's own number, its tokens, or the per-image list price. */
  basis: 'vendor' | 'tokens' | 'per_image' | 'per_megapixel' | 'unknown';
}

const roundUsd = (value: number) => Math.round(value * 1e6) / 1e6;

/** The megapixel of per-megapixel prices unless the price names its own (fal: a 1024 × 1024 image is 1 MP). */
const defaultMegapixel = 1024 * 1024;

function sizePixels(size: string): number | undefined {
  const match = /^(\d+)x(\d+)$/.exec(size);
  return match ? Number(match[1]) * Number(match[2]) : undefined;
}

/** The most specific per-image entry for the call (quality and size, then either, then neither). */
function matchImagePrice(prices: readonly ImagePrice[], input: CostInput): ImagePrice | undefined {
  const sizes = [input.size, input.sizeTier].filter((value): value is string => value !== undefined);
  const sizeMatches = (price: ImagePrice) => price.size === undefined || sizes.includes(price.size);
  const qualityMatches = (price: ImagePrice) =>
    price.quality === undefined || price.quality === input.quality;
  const specificity = (price: ImagePrice) =>
    Number(price.size !== undefined) + Number(price.quality !== undefined);
  return prices
    .filter((price) => sizeMatches(price) && qualityMatches(price))
    .sort((a, b) => specificity(b) - specificity(a))[0];
}

/**
 * The one cost function: answers' `usage.estimated_cost_usd`, the ledger and budgets all
 * use it. Order: the vendor's own cost when it gives one; token prices when the model bills
 * tokens and the vendor reported them; else the per-image list price by size and quality.
 * No price known is `undefined`, never a guess.
 */
export function estimateCost(model: Pick<ModelDescriptor, 'price'>, input: CostInput): CostEstimate {
  const usage = input.usage;
  if (usage?.vendorCostUsd !== undefined) return { usd: roundUsd(usage.vendorCostUsd), basis: 'vendor' };
  const price = model.price;
  const tokens = price?.perMillionTokens;
  if (tokens && usage && (usage.inputTokens !== undefined || usage.outputTokens !== undefined)) {
    const inputImage = usage.inputTokensDetails?.imageTokens ?? 0;
    const inputText = usage.inputTokensDetails?.textTokens ?? (usage.inputTokens ?? 0) - inputImage;
    const outputText = usage.outputTokensDetails?.textTokens ?? 0;
    const outputImage = usage.outputTokensDetails?.imageTokens ?? (usage.outputTokens ?? 0) - outputText;
    const usd =
      (inputText * (tokens.textInput ?? 0) +
        inputImage * (tokens.imageInput ?? tokens.textInput ?? 0) +
        outputText * (tokens.textOutput ?? 0) +
        outputImage * (tokens.imageOutput ?? 0)) /
      1e6;
    return { usd: roundUsd(usd), basis: 'tokens' };
  }
  // Inputs are billed once per call (BFL: each input megapixel), on top of the images made.
  const perMegapixel = price?.perMegapixel;
  const megapixel = perMegapixel?.unit ?? defaultMegapixel;
  const inputs =
    price?.perInputMegapixel !== undefined && input.images > 0
      ? (input.inputPixels ?? []).reduce((total, pixels) => total + pixels / megapixel, 0) *
        price.perInputMegapixel
      : 0;
  const pixels = input.size ? sizePixels(input.size) : undefined;
  if (perMegapixel && pixels !== undefined) {
    const exact = pixels / megapixel;
    const billed = perMegapixel.roundUp ? Math.ceil(exact - 1e-9) : exact;
    const each =
      perMegapixel.firstUsd === undefined
        ? billed * perMegapixel.usd
        : perMegapixel.firstUsd + Math.max(0, billed - 1) * perMegapixel.usd;
    return { usd: roundUsd(each * input.images + inputs), basis: 'per_megapixel' };
  }
  if (price?.perImage) {
    const match = matchImagePrice(price.perImage, input);
    if (match) return { usd: roundUsd(match.usd * input.images + inputs), basis: 'per_image' };
  }
  return { usd: undefined, basis: 'unknown' };
}
