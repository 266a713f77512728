import type { JsonObject } from './gemini-fake-rules.js';

/** The models the Gemini fake serves, their values (docs/providers/gemini.md §3.2–3.3), and a setting for each (unverified) point. */

export const geminiApiPath = '/v1beta';

/** docs/providers/gemini.md §3.3 plus the non-preview ids of docs/providers/gemini.md §3.0's deprecations page. */
export const geminiNativeFakeModels = [
  'gemini-2.0-flash-preview-image-generation',
  'gemini-2.5-flash-image-preview',
  'gemini-2.5-flash-image',
  'gemini-3-pro-image-preview',
  'gemini-3-pro-image',
  'gemini-3.1-flash-image-preview',
  'gemini-3.1-flash-image',
] as const;

/** docs/providers/gemini.md §3.0, §15: shut down on the Gemini API, answered 404 NOT_FOUND. */
export const geminiRetiredModels: readonly string[] = [
  'imagen-4.0-generate-001',
  'imagen-4.0-ultra-generate-001',
  'imagen-4.0-fast-generate-001',
  'imagen-3.0-generate-002',
  'imagen-4.0-generate-preview-06-06',
  'gemini-2.0-flash-preview-image-generation',
  'gemini-2.5-flash-image-preview',
];

/** docs/providers/gemini.md §3.2, with the preview id the ECNU repo used. */
export const imagenFakeModels = [
  'imagen-4.0-generate-001',
  'imagen-4.0-ultra-generate-001',
  'imagen-4.0-fast-generate-001',
  'imagen-3.0-generate-002',
  'imagen-4.0-generate-preview-06-06',
] as const;

/** docs/providers/gemini.md §3.3 imageConfig.aspectRatio. */
export const geminiImageAspectRatios = [
  '1:1',
  '2:3',
  '3:2',
  '3:4',
  '4:3',
  '4:5',
  '5:4',
  '9:16',
  '16:9',
  '21:9',
  // docs/providers/gemini.md §15: the extreme ratios (which models take them is unverified; the fake takes all).
  '1:4',
  '4:1',
  '1:8',
  '8:1',
] as const;
/** docs/providers/gemini.md §3.2 parameters.aspectRatio. */
export const imagenAspectRatios = ['1:1', '3:4', '4:3', '9:16', '16:9'] as const;
/** docs/providers/gemini.md §3.3 promptFeedback.blockReason values. */
export const geminiBlockReasons = [
  'SAFETY',
  'OTHER',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'IMAGE_SAFETY',
] as const;
/** docs/providers/gemini.md §3.3 finishReason values that end a candidate without an image (SDK FinishReason adds BLOCKLIST, SPII). */
export const geminiNoImageFinishReasons = [
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'IMAGE_OTHER',
  'NO_IMAGE',
  'SAFETY',
  'PROHIBITED_CONTENT',
  'RECITATION',
  'OTHER',
  'BLOCKLIST',
  'SPII',
] as const;
export interface GeminiFakeOptions {
  /** Added before every answer. docs/providers/gemini.md §3.3 says ~2–30 s for real calls; default 0 so tests stay fast. */
  latencyMs?: number;
  /** Delay between stream chunks. Default 0. */
  streamChunkDelayMs?: number;
  /** Which keys authenticate; others get 400 API_KEY_INVALID. Default: any non-empty key. */
  acceptKey?: (key: string) => boolean;
  /** Keys whose project has the API disabled: 403 SERVICE_DISABLED ([G4]). */
  disabledKeys?: readonly string[];
  /** Model ids served (default both lists above). */
  models?: readonly string[];
  /**
   * Known ids that answer 404, as retired models do (docs/providers/gemini.md §3.0, §15: the Imagen endpoints
   * "now return 404"). Default `geminiRetiredModels`; `[]` plays an upstream that still serves them.
   */
  retiredModels?: readonly string[];
  /** RetryInfo.retryDelay of the 429 triggers; null leaves RetryInfo out. Default "59s". */
  retryDelay?: string | null;
  /** docs/providers/gemini.md §3.3 (unverified): imageConfig.imageSize on models other than gemini-3. Default `reject` (400). */
  imageSizeOnOtherModels?: 'reject' | 'ignore';
  /** docs/providers/gemini.md §3.3 (unverified): `responseModalities: ["IMAGE"]` on 2.5 and later. Default `accept`. */
  imageOnlyModalities?: 'accept' | 'reject';
  /** docs/providers/gemini.md §3.3 (observed): `thought: true` parts before the final image. Default on gemini-3-pro models only. */
  thoughtParts?: 'gemini-3-pro' | 'always' | 'never';
  /** docs/providers/gemini.md §3.3: text may come before or after the image. Default `before`. */
  textPosition?: 'before' | 'after' | 'none';
  /** The final image (default `tinyPng()`), its mime type (docs/providers/gemini.md §3.3: newer models' is unverified; default image/png). */
  image?: Buffer;
  imageMimeType?: string;
  /** The thought image, different from the final one so tests can tell them apart. */
  thoughtImage?: Buffer;
  /** docs/providers/gemini.md §3.3: a blocked output holds a text refusal, no parts, or no content at all. Default `text`. */
  refusalParts?: 'text' | 'empty' | 'absent';
  /** docs/providers/gemini.md §3.3: a blocked prompt has no `candidates`, or `candidates: []`. Default `absent`. */
  blockedPromptCandidates?: 'absent' | 'empty';
  /** docs/providers/gemini.md §3.2: sampleCount when absent. The doc says 4, Genkit and Firebase 1. Default 4. */
  imagenDefaultSampleCount?: number;
  /** docs/providers/gemini.md §3.2 (unverified): Imagen's default output type. Default image/png. */
  imagenDefaultMimeType?: 'image/png' | 'image/jpeg';
  /** docs/providers/gemini.md §3.2: filtered Imagen slots as one trailing raiFilteredReason entry ([G4] fixture) or one per image. Default `one-entry`. */
  raiFilteredSlots?: 'one-entry' | 'per-image';
  /** docs/providers/gemini.md §3.2: models that take negativePrompt. The SDK refuses it for every Gemini API model [G1]; default none. */
  negativePromptModels?: readonly string[];
  /** docs/providers/gemini.md §3.2 (unverified): `allow_all` is refused in some regions. Default true. */
  allowAllPersonGeneration?: boolean;
}

/** One call the fake accepted past auth and routing, with its body in camelCase. */
export interface GeminiFakeCall {
  model: string;
  method: 'generateContent' | 'streamGenerateContent' | 'predict';
  key: string;
  body: JsonObject;
}

export type GeminiFakeSettings = Required<
  Omit<GeminiFakeOptions, 'latencyMs' | 'retryDelay' | 'acceptKey'>
> & {
  retryDelay: string | null;
  acceptKey: (key: string) => boolean;
};
