import type { z } from 'zod';
import type { PromptChatSpec } from '../prompts/prompt-chat.js';
import type { ImageKind } from '../requests/image-request.js';

/**
 * The provider interface (docs/architecture.md). An adapter turns one normalized call into one
 * vendor call and back. It never retries, rate-limits, splits batches, downloads
 * URLs or stores files: core owns all of that.
 */

/** How a model hands images back. */
export type ImageDelivery = 'bytes' | 'base64' | 'url';

/**
 * Pixel-size rules. `allowed` is an exact list; `custom` admits any WxH inside
 * the bounds. A model may have both (CogView: recommended list plus custom sizes).
 */
export interface SizeRules {
  /** Exact sizes, `WxH`. With no `custom`, only these are accepted. */
  allowed?: readonly string[];
  custom?: {
    minSide: number;
    maxSide: number;
    multipleOf: number;
    maxPixels: number;
    /** Fewest pixels in all (gpt-image-2 wants at least 655,360). */
    minPixels?: number;
    /** Longest side over shortest side, at most. */
    maxAspectRatio?: number;
  };
  /** `WxH` used when the request names neither size nor aspect ratio. */
  default: string;
}

export interface ModelCapabilities {
  generate: boolean;
  edit: boolean;
  mask: boolean;
  /** Images one vendor call can return; core splits a larger `n`. */
  maxImagesPerCall: number;
  /** Largest `n` accepted for one request (core makes ceil(n / maxImagesPerCall) calls). */
  maxImagesPerRequest: number;
  /** Input images an edit may take. */
  maxInputImages: number;
  /** Pixel sizes the model takes (absent: it takes aspect ratios only). */
  sizes?: SizeRules;
  /** Aspect ratios the model takes natively, `W:H` (absent: pixel sizes only). */
  aspectRatios?: readonly string[];
  /**
   * Output resolutions of a model that takes aspect ratios (Gemini `imageSize`), smallest first.
   * Core maps a requested pixel size onto the nearest ratio and the smallest of these that holds
   * it; a size far beyond the largest is refused. One entry: the model has one resolution, not a setting.
   */
  sizeTiers?: readonly SizeTier[];
  seed: boolean;
  negativePrompt: boolean;
  /** Values of `quality` the vendor takes (absent: quality is not a setting). */
  qualities?: readonly string[];
  delivery: ImageDelivery;
  maxPromptLength: number;
  /** The vendor runs an async task and we poll; progress notifications matter. */
  longRunning?: boolean;
  /** Streams partial images when asked. */
  streaming?: boolean;
  /** Makes variations of one input image without a prompt (OpenAI `/images/variations`). */
  variation?: boolean;
  /**
   * The language the model follows best, as a BCP 47 primary tag (`en`, `zh`), or `any`.
   * Prompt optimisation translates into it (docs/prompt-optimization.md).
   */
  promptLanguage?: string;
}

/** One output resolution of a ratio-only model. */
export interface SizeTier {
  /** The vendor's name for it (`512`, `1K`, `2K`, `4K`). */
  name: string;
  /** The side of its 1:1 image, px; its other ratios have about as many pixels. */
  side: number;
}

/** Where a model stands in its vendor's lifecycle (docs/providers/<vendor>.md, with dates). */
export interface ModelLifecycle {
  status: 'active' | 'deprecated' | 'retired';
  /** `YYYY-MM-DD`: the day the vendor stops (or stopped) serving it. */
  shutdownDate?: string;
  /** `provider/model` (or a bare model id of the same provider) to use instead. */
  replacement?: string;
}

/**
 * One per-image price. The most specific entry that matches the call wins: one naming
 * both `quality` and `size`, then one naming either, then one naming neither.
 */
export interface ImagePrice {
  usd: number;
  /** A quality value of the model (`low`, `hd`, ...). */
  quality?: string;
  /** A `WxH` size, or a vendor size tier (`1K`, `2K`, `4K`). */
  size?: string;
}

/**
 * A model's list price, with the day and the page it was read from. Each provider package
 * keeps its prices in one table (`<vendor>-prices.ts`); `estimateCost` is the one function
 * that applies them (docs/accounting.md, Prices).
 */
export interface ModelPrice {
  /** `YYYY-MM-DD`. */
  readOn: string;
  /** The vendor's pricing page, or the copy of it the price was read from. */
  source: string;
  /** The page is a third party's summary or a relay's quote, not the vendor's own. */
  unverified?: boolean;
  /** Billed per image. */
  perImage?: readonly ImagePrice[];
  /**
   * Billed per image by its megapixels (fal, BFL FLUX.2): `firstUsd` for the first megapixel
   * when it differs, `usd` for each further (or every) one; `roundUp` bills whole megapixels;
   * `unit` is the vendor's megapixel in pixels (default 1024 × 1024, as fal; BFL counts
   * 1,000,000). Applies when the call's pixel size is known.
   */
  perMegapixel?: { usd: number; firstUsd?: number; roundUp?: boolean; unit?: number };
  /** USD per megapixel (of `perMegapixel.unit`) of each input image, on top of the output price (BFL FLUX.2 edits). */
  perInputMegapixel?: number;
  /** Billed per token (USD per million), from the vendor's own usage in the answer. */
  perMillionTokens?: {
    textInput?: number;
    imageInput?: number;
    textOutput?: number;
    imageOutput?: number;
  };
}

export interface ModelDescriptor {
  /** The vendor's model id, without the provider prefix. */
  id: string;
  description: string;
  capabilities: ModelCapabilities;
  /** The list price, with its date and source; absent means unknown (never a guess). */
  price?: ModelPrice;
  /**
   * Absent means active. A retired model is refused before any vendor call (400
   * `model_retired` naming the replacement); a deprecated one works with a warning.
   */
  lifecycle?: ModelLifecycle;
}

export interface Warning {
  /**
   * `unsupported`: a setting was not honoured; `adjusted`: it was mapped to the nearest
   * value; `not_stored`: an image is in the answer but the store could not keep it;
   * `deprecated`: the model works but its vendor is shutting it down (the message gives the date);
   * `prompt_optimization_failed`: the prompt rewrite failed and the original prompt was sent.
   */
  type:
    | 'unsupported'
    | 'adjusted'
    | 'partial_failure'
    | 'not_stored'
    | 'deprecated'
    | 'prompt_optimization_failed'
    | 'other';
  /** The request field concerned (`seed`, `size`, ...). */
  feature?: string;
  message: string;
}

export interface InputImage {
  data: Uint8Array;
  mimeType: string;
  width: number;
  height: number;
  /** The stored image id when the input came from (or was put into) the store. */
  id?: string;
  /**
   * The public https URL the caller gave, after the same address checks as any download
   * passed. Vendors that fetch inputs by URL (DashScope) may pass it on as it is.
   */
  sourceUrl?: string;
}

export interface Credential {
  /** Stable label for logs and metrics, never the key itself (e.g. `cogview#1`). */
  id: string;
  apiKey: string;
  /** Overrides the provider's baseURL for this credential (WanX regions). */
  baseURL?: string;
}

export type ProgressEvent =
  | { type: 'status'; message: string; progress?: number; total?: number }
  | {
      type: 'partial_image';
      index: number;
      b64: string;
      mimeType: string;
      /** What the vendor says it applied (OpenAI stream events carry them), for the OpenAI event shape. */
      settings?: AppliedSettings;
    };

/** Settings a vendor reports it applied (OpenAI GPT-image answers: `background`, `output_format`, ...). */
export interface AppliedSettings {
  background?: string;
  outputFormat?: string;
  quality?: string;
  size?: string;
}

export interface ProviderCall {
  /** The vendor's model id (no provider prefix). */
  model: string;
  prompt: string;
  /** Images for this call; never above the model's maxImagesPerCall. */
  n: number;
  /**
   * Where this call's first image sits in the request (core splits n into calls).
   * A seed from core already includes it; an adapter that derives its own seed adds
   * it, so split calls do not repeat each other.
   */
  imageOffset?: number;
  /** Resolved pixel size, when the model takes pixel sizes. */
  size?: { width: number; height: number };
  /** Resolved aspect ratio, when the model takes aspect ratios. */
  aspectRatio?: string;
  /** The `sizeTiers` entry a requested pixel size was mapped to (absent: the vendor's default). */
  sizeTier?: string;
  quality?: string;
  seed?: number;
  negativePrompt?: string;
  /** Edit inputs; empty for generation. */
  images: InputImage[];
  mask?: InputImage;
  /** Already validated by the adapter's `optionsSchema`. */
  providerOptions: Record<string, unknown>;
  credential: Credential;
  signal: AbortSignal;
  /** The gateway's request id, for the vendor's logs where it takes one. */
  requestId: string;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * A URL the vendor can fetch an input image from (WanX wants public URLs).
   * Throws InvalidRequestError when the gateway has no public URL configured.
   */
  publicUrlFor?: (image: InputImage) => Promise<string>;
  /**
   * Asynchronous vendors (task + polling) report the vendor's task id here as soon as
   * they have it, so a job can resume polling after a restart instead of paying twice.
   */
  onTaskId?: (taskId: string) => void;
  /**
   * Set when resuming: the vendor task created by an earlier attempt of this same call.
   * An adapter that supports it polls this task instead of creating a new one.
   */
  resumeTaskId?: string;
}

export type ProviderImage =
  | { kind: 'bytes'; data: Uint8Array; mimeType?: string }
  | { kind: 'base64'; data: string; mimeType?: string }
  | { kind: 'url'; url: string; mimeType?: string };

export interface ProviderUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  /** The vendor's split of input tokens (OpenAI `input_tokens_details`). */
  inputTokensDetails?: { textTokens?: number; imageTokens?: number };
  /** The vendor's split of output tokens, where it gives one. */
  outputTokensDetails?: { textTokens?: number; imageTokens?: number };
  /** What the vendor itself says the call cost, in USD, when it says (BFL `cost` credits converted). */
  vendorCostUsd?: number;
}

export interface ProviderResult {
  images: ProviderImage[];
  revisedPrompt?: string;
  warnings: Warning[];
  usage?: ProviderUsage;
  vendorRequestId?: string;
  /** Vendor metadata worth keeping (CogView content_filter, Imagen safety attributes). */
  metadata?: Record<string, unknown>;
}

export interface ImageProvider {
  /** `cogview`, `openai`, ... or the name of an extra configured provider. */
  readonly id: string;
  readonly models: readonly ModelDescriptor[];
  readonly defaultModel: string;
  /** Strict schema for `provider_options[id]`; unknown keys are refused. */
  readonly optionsSchema: z.ZodType<Record<string, unknown>>;
  generate(call: ProviderCall): Promise<ProviderResult>;
  edit?(call: ProviderCall): Promise<ProviderResult>;
  /**
   * Variations of `call.images[0]`, without a prompt (`call.prompt` is empty); for models
   * whose capabilities say `variation`.
   */
  variation?(call: ProviderCall): Promise<ProviderResult>;
  /**
   * Vendor rules that the generic capability check cannot express, checked before
   * any call (e.g. a mask must be a PNG the size of the first image). Throws
   * InvalidRequestError / UnsupportedCapabilityError; returns warnings otherwise.
   */
  check?(call: Omit<ProviderCall, 'credential' | 'signal' | 'requestId'>, kind: ImageKind): Warning[];
}

/** What an adapter receives from configuration. */
export interface ProviderSettings {
  /** The provider id it registers under (an extra OpenAI-compatible one has its own). */
  id: string;
  baseURL: string;
  fetch: typeof globalThis.fetch;
  /** Adapter-specific settings from the config file, validated by the plugin. */
  options: Record<string, unknown>;
  /** Injected so polling tests run in milliseconds. Resolves early (no throw) when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/**
 * What a provider package exports besides its factory, so that the apps can wire it
 * in one registry line and the config loader knows its env variables.
 */
export interface ProviderPlugin {
  /** Default id, and the `type` an extra provider names in the config file. */
  type: string;
  /** Env variable names for the key and base URL (none for `local`). */
  env?: { apiKey: string; baseURL: string };
  defaultBaseURL: string;
  /** Validates `providers.<id>.options` in the config file. */
  settingsSchema?: z.ZodType<Record<string, unknown>>;
  /** Needs no credential (local). */
  keyless?: boolean;
  /** Base URL of a named region, for credentials configured with `region` (WanX). */
  regionBaseURL?(region: string): string | undefined;
  /**
   * The vendor's chat endpoint, which prompt optimisation uses with this provider's keys
   * (docs/prompt-optimization.md), given `providers.<id>.options` as validated.
   */
  promptChat?(options: Record<string, unknown>): PromptChatSpec | undefined;
  create(settings: ProviderSettings): ImageProvider;
}
