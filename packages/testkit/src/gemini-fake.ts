import { randomUUID } from 'node:crypto';
import { solidPng } from '@uig/core';
import {
  FakeUpstream,
  type Fault,
  type FakeResponse,
  type FaultRule,
  type RouteContext,
  type SseEvent,
} from './fake-upstream.js';
import { tinyPng } from './test-images.js';

/**
 * A fake of the Gemini API (docs/providers/gemini.md §3, docs/providers/gemini.md (testing notes)) on loopback: `:generateContent`,
 * `:streamGenerateContent` and Imagen's `:predict`. Adapters point their baseURL at
 * `fake.apiBaseURL` (`<url>/v1beta`). Requests may use camelCase or snake_case
 * (docs/providers/gemini.md §3.3: proto JSON accepts both); answers are camelCase. Every point the spec marks
 * (unverified) is an option, so tests can pin either behaviour.
 */

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

/**
 * Put one of these in a prompt to get the matching answer. They are matched as whole
 * tokens (runs of `A-Z0-9_`), so `FAKE_GEMINI_429` never fires inside `FAKE_GEMINI_429_DAILY`.
 */
export const geminiTriggers = {
  /** 200 with `promptFeedback.blockReason` = reason and no candidates (docs/providers/gemini.md §3.3). */
  blockPrompt: (reason: string) => `FAKE_GEMINI_BLOCK_${reason}`,
  /** 200 with `candidates: []` and a promptFeedback holding only `blockReasonMessage` ([G4] only-prompt-feedback). */
  feedbackOnly: 'FAKE_GEMINI_FEEDBACK_ONLY',
  /** 200 with one candidate ending in this finishReason and no image (docs/providers/gemini.md §3.3 output blocked). */
  finish: (reason: string) => `FAKE_GEMINI_FINISH_${reason}`,
  /** 200, finishReason STOP, text only: the model answered without an image (docs/providers/gemini.md §3.3). */
  textOnly: 'FAKE_GEMINI_TEXT_ONLY',
  /** 200 with `candidates: []` and no promptFeedback. */
  noCandidates: 'FAKE_GEMINI_NO_CANDIDATES',
  /** 429 RESOURCE_EXHAUSTED with QuotaFailure and RetryInfo (docs/providers/gemini.md §3.1). */
  rateLimited: 'FAKE_GEMINI_429',
  /** 429 whose only hint is "Please retry in 7.96s." in the message (docs/providers/gemini.md §3.1, newer messages). */
  rateLimitedMessageHint: 'FAKE_GEMINI_429_MESSAGE_HINT',
  /** 429 on a per-day quota. */
  dailyQuota: 'FAKE_GEMINI_429_DAILY',
  /** 429 on a quota whose limit is 0 (the free tier has none for this model). */
  zeroQuota: 'FAKE_GEMINI_429_ZERO',
  /** 500 INTERNAL. */
  internal: 'FAKE_GEMINI_500',
  /** 503 UNAVAILABLE, "The model is overloaded" (docs/providers/gemini.md §3.1). */
  overloaded: 'FAKE_GEMINI_503',
  /** 504 DEADLINE_EXCEEDED. */
  deadline: 'FAKE_GEMINI_504',
  /** 400 FAILED_PRECONDITION, user location not supported (docs/providers/gemini.md §3.1). */
  location: 'FAKE_GEMINI_LOCATION',
  /** Imagen: half the images (at least one) filtered: a raiFilteredReason with includeRaiReason, else just missing (docs/providers/gemini.md §3.2). */
  filterSome: 'FAKE_IMAGEN_FILTER_SOME',
  /** Imagen: every image filtered: a raiFilteredReason entry, or `{}` without includeRaiReason (docs/providers/gemini.md §3.2). */
  filterAll: 'FAKE_IMAGEN_FILTER_ALL',
  /** Imagen: 400 INVALID_ARGUMENT, the prompt broke the Responsible AI practices (docs/providers/gemini.md §3.2). */
  promptRejected: 'FAKE_IMAGEN_PROMPT_REJECTED',
} as const;

export type GeminiErrorKind =
  | 'API_KEY_INVALID'
  | 'UNREGISTERED_CALLER'
  | 'SERVICE_DISABLED'
  | 'NOT_FOUND'
  | 'RESOURCE_EXHAUSTED'
  | 'INTERNAL'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'FAILED_PRECONDITION'
  | 'INVALID_ARGUMENT'
  | 'PROMPT_BLOCKED';

export interface GeminiErrorOptions {
  /** Overrides the vendor text (INVALID_ARGUMENT has no default worth keeping). */
  message?: string;
  /** For NOT_FOUND and quota messages. */
  model?: string;
  /** For NOT_FOUND: the method the model is not found for. */
  method?: string;
  /** For API_KEY_INVALID: the key echoed in DebugInfo, as the real body does ([G4]). */
  key?: string;
  /** RESOURCE_EXHAUSTED: RetryInfo.retryDelay; null leaves RetryInfo out. Default "59s". */
  retryDelay?: string | null;
  /** RESOURCE_EXHAUSTED: end the message with "Please retry in …" (docs/providers/gemini.md §3.1, newer messages). */
  retryHintInMessage?: string;
  /** RESOURCE_EXHAUSTED: which quota ran out. Default per-minute. */
  quota?: 'per-minute' | 'per-day' | 'zero';
}

const googleStatusNames: Record<GeminiErrorKind, [number, string]> = {
  API_KEY_INVALID: [400, 'INVALID_ARGUMENT'],
  UNREGISTERED_CALLER: [403, 'PERMISSION_DENIED'],
  SERVICE_DISABLED: [403, 'PERMISSION_DENIED'],
  NOT_FOUND: [404, 'NOT_FOUND'],
  RESOURCE_EXHAUSTED: [429, 'RESOURCE_EXHAUSTED'],
  INTERNAL: [500, 'INTERNAL'],
  UNAVAILABLE: [503, 'UNAVAILABLE'],
  DEADLINE_EXCEEDED: [504, 'DEADLINE_EXCEEDED'],
  FAILED_PRECONDITION: [400, 'FAILED_PRECONDITION'],
  INVALID_ARGUMENT: [400, 'INVALID_ARGUMENT'],
  PROMPT_BLOCKED: [400, 'INVALID_ARGUMENT'],
};

function quotaDetails(options: GeminiErrorOptions): { message: string; details: unknown[] } {
  const model = options.model ?? 'gemini-2.5-flash-image';
  const perDay = options.quota === 'per-day' || options.quota === 'zero';
  const quotaId = perDay
    ? 'GenerateRequestsPerDayPerProjectPerModel-FreeTier'
    : 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier';
  const metric = 'generativelanguage.googleapis.com/generate_content_free_tier_requests';
  let message =
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.';
  if (options.quota === 'zero')
    message += `\n* Quota exceeded for metric: ${metric}, limit: 0, model: ${model}`;
  if (options.retryHintInMessage) message += `\nPlease retry in ${options.retryHintInMessage}.`;
  const retryDelay = options.retryDelay === undefined ? '59s' : options.retryDelay;
  const details: unknown[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: metric,
          quotaId,
          quotaDimensions: { location: 'global', model },
          ...(options.quota === 'zero' ? { quotaValue: '0' } : {}),
        },
      ],
    },
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [
        {
          description: 'Learn more about Gemini API quotas',
          url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
        },
      ],
    },
    ...(retryDelay === null ? [] : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }]),
  ];
  return { message, details };
}

/** A docs/providers/gemini.md §3.1 error: the google.rpc.Status envelope with `code` a number equal to the HTTP status. */
export function geminiError(
  kind: GeminiErrorKind,
  options: GeminiErrorOptions = {},
): { status: number; body: Record<string, unknown> } {
  const [status, statusName] = googleStatusNames[kind];
  let message: string;
  let details: unknown[] | undefined;
  switch (kind) {
    case 'API_KEY_INVALID':
      message = 'API key not valid. Please pass a valid API key.';
      details = [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
        ...(options.key
          ? [
              {
                '@type': 'type.googleapis.com/google.rpc.DebugInfo',
                detail: `Invalid API key: ${options.key}`,
              },
            ]
          : []),
      ];
      break;
    case 'UNREGISTERED_CALLER':
      message =
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
      break;
    case 'SERVICE_DISABLED':
      message =
        'Generative Language API has not been used in project 12345678 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=12345678 then retry.';
      details = [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'SERVICE_DISABLED',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com', consumer: 'projects/12345678' },
        },
      ];
      break;
    case 'NOT_FOUND':
      message = `models/${options.model ?? 'unknown'} is not found for API version v1beta, or is not supported for ${options.method ?? 'generateContent'}. Call ListModels to see the list of available models and their supported methods.`;
      break;
    case 'RESOURCE_EXHAUSTED':
      ({ message, details } = quotaDetails(options));
      break;
    case 'INTERNAL':
      // docs/providers/gemini.md §3.1: the text is (unverified).
      message =
        'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting';
      break;
    case 'UNAVAILABLE':
      message = 'The model is overloaded. Please try again later.';
      break;
    case 'DEADLINE_EXCEEDED':
      message = 'Deadline expired before operation could complete.';
      break;
    case 'FAILED_PRECONDITION':
      message = 'User location is not supported for the API use.';
      break;
    case 'PROMPT_BLOCKED':
      message =
        "Image generation failed with the following error: The prompt could not be submitted. This prompt contains sensitive words that violate Google's Responsible AI practices. Try rephrasing the prompt. If you think this was an error, send feedback. Support codes: 42876398";
      break;
    case 'INVALID_ARGUMENT':
      message = 'Request contains an invalid argument.';
      break;
  }
  return {
    status,
    body: {
      error: {
        code: status,
        message: options.message ?? message,
        status: statusName,
        ...(details ? { details } : {}),
      },
    },
  };
}

/** A fault for `fake.inject()` that answers with the docs/providers/gemini.md §3.1 error of that kind. */
export function geminiErrorFault(kind: GeminiErrorKind, options: GeminiErrorOptions = {}): Fault {
  const { status, body } = geminiError(kind, options);
  return { kind: 'status', status, body, headers: { 'content-type': 'application/json; charset=UTF-8' } };
}

/**
 * The smallest decodable baseline JPEG: 8x8 mid-grey, one component, all-ones
 * quantisation, and one-symbol Huffman tables (DC category 0, AC end-of-block).
 */
export function tinyJpeg(): Buffer {
  const huffmanTable = (classAndId: number) => [
    0xff,
    0xc4,
    0x00,
    0x14,
    classAndId,
    1,
    ...new Array<number>(15).fill(0),
    0x00,
  ];
  return Buffer.from([
    0xff,
    0xd8,
    0xff,
    0xdb,
    0x00,
    0x43,
    0x00,
    ...new Array<number>(64).fill(1),
    0xff,
    0xc0,
    0x00,
    0x0b,
    0x08,
    0x00,
    0x08,
    0x00,
    0x08,
    0x01,
    0x01,
    0x11,
    0x00,
    ...huffmanTable(0x00),
    ...huffmanTable(0x10),
    0xff,
    0xda,
    0x00,
    0x08,
    0x01,
    0x01,
    0x00,
    0x00,
    0x3f,
    0x00,
    0x3f, // DC "0" then EOB "0", padded with ones
    0xff,
    0xd9,
  ]);
}

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
  /** Known ids that answer 404, as retired models do (docs/providers/gemini.md §3.0: Imagen 4 endpoints "now return 404"). */
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

type Settings = Required<Omit<GeminiFakeOptions, 'latencyMs' | 'retryDelay' | 'acceptKey'>> & {
  retryDelay: string | null;
  acceptKey: (key: string) => boolean;
};

// biome-ignore lint/suspicious/noExplicitAny: the fake reads request bodies of any shape, as the vendor does
type JsonObject = Record<string, any>;

/** docs/providers/gemini.md §3.3: proto JSON takes snake_case and camelCase alike; the fake reads everything as camelCase. */
function camelize(value: unknown): JsonObject {
  if (Array.isArray(value)) return value.map(camelize);
  if (typeof value !== 'object' || value === null) return value as JsonObject;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()),
      camelize(inner),
    ]),
  );
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;
/** Input image types the Gemini API takes. */
const inputImageTypes = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif']);
const generateContentFields = new Set([
  'contents',
  'generationConfig',
  'safetySettings',
  'systemInstruction',
  'tools',
  'toolConfig',
  'cachedContent',
  'model',
]);
const generationConfigFields = new Set([
  'responseModalities',
  'imageConfig',
  'candidateCount',
  'temperature',
  'topP',
  'topK',
  'seed',
  'maxOutputTokens',
  'stopSequences',
  'responseMimeType',
  'thinkingConfig',
  'presencePenalty',
  'frequencyPenalty',
]);
const imageConfigFields = new Set(['aspectRatio', 'imageSize', 'personGeneration']);
/** docs/providers/gemini.md §3.2: what the Gemini API refuses in Imagen parameters (the SDK throws for each) [G1]. */
const imagenRefusedParameters = [
  'seed',
  'negativePrompt',
  'addWatermark',
  'enhancePrompt',
  'outputGcsUri',
  'storageUri',
  'labels',
];
/** docs/providers/gemini.md §3.2: sampleImageSize is for Standard and Ultra only. */
const imagenSizedModels = new Set([
  'imagen-4.0-generate-001',
  'imagen-4.0-ultra-generate-001',
  'imagen-4.0-generate-preview-06-06',
]);
const personGenerationValues = ['dont_allow', 'allow_adult', 'allow_all'];
const safetySettingValues = [
  'block_low_and_above',
  'block_medium_and_above',
  'block_only_high',
  'block_none',
];
const is20Model = (model: string) => model.startsWith('gemini-2.0-');

const safetyRatings = [
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'HIGH' },
  { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'NEGLIGIBLE' },
];
const promptSafetyCategories = [
  'Death, Harm & Tragedy',
  'Firearms & Weapons',
  'Hate',
  'Health',
  'Illicit Drugs',
  'Politics',
  'Porn',
  'Religion & Belief',
  'Toxic',
  'Violence',
  'Vulgarity',
  'War & Conflict',
];

export class GeminiFake extends FakeUpstream {
  readonly calls: GeminiFakeCall[] = [];
  private readonly settings: Settings;

  constructor(options: GeminiFakeOptions = {}) {
    super({ latencyMs: options.latencyMs ?? 0 });
    this.settings = {
      streamChunkDelayMs: options.streamChunkDelayMs ?? 0,
      acceptKey: options.acceptKey ?? ((key) => key.length > 0),
      disabledKeys: options.disabledKeys ?? [],
      models: options.models ?? [...geminiNativeFakeModels, ...imagenFakeModels],
      retiredModels: options.retiredModels ?? [],
      retryDelay: options.retryDelay === undefined ? '59s' : options.retryDelay,
      imageSizeOnOtherModels: options.imageSizeOnOtherModels ?? 'reject',
      imageOnlyModalities: options.imageOnlyModalities ?? 'accept',
      thoughtParts: options.thoughtParts ?? 'gemini-3-pro',
      textPosition: options.textPosition ?? 'before',
      image: options.image ?? tinyPng(),
      imageMimeType: options.imageMimeType ?? 'image/png',
      thoughtImage: options.thoughtImage ?? solidPng(8, 8, [40, 40, 40, 255]),
      refusalParts: options.refusalParts ?? 'text',
      blockedPromptCandidates: options.blockedPromptCandidates ?? 'absent',
      imagenDefaultSampleCount: options.imagenDefaultSampleCount ?? 4,
      imagenDefaultMimeType: options.imagenDefaultMimeType ?? 'image/png',
      raiFilteredSlots: options.raiFilteredSlots ?? 'one-entry',
      negativePromptModels: options.negativePromptModels ?? [],
      allowAllPersonGeneration: options.allowAllPersonGeneration ?? true,
    };
    // docs/providers/gemini.md §3.0: paths are /models/{model}:{method}; `:target*` matches across the colon.
    this.route('POST', `${geminiApiPath}/models/:target*`, (context) => this.dispatch(context));
  }

  /** The base URL an adapter is configured with. */
  get apiBaseURL(): string {
    return `${this.url}${geminiApiPath}`;
  }

  /** Answer the next `times` matching requests with the docs/providers/gemini.md §3.1 error of that kind. */
  failWith(kind: GeminiErrorKind, rule: Omit<FaultRule, 'fault'> & GeminiErrorOptions = {}): this {
    const { times, after, match, ...errorOptions } = rule;
    return this.inject({ times, after, match, fault: geminiErrorFault(kind, errorOptions) });
  }

  private error(kind: GeminiErrorKind, options: GeminiErrorOptions = {}): FakeResponse {
    const { status, body } = geminiError(kind, options);
    return { status, json: body, headers: this.headers() };
  }

  private invalid(message: string): FakeResponse {
    return this.error('INVALID_ARGUMENT', { message });
  }

  /** docs/providers/gemini.md §3.1 response headers. */
  private headers(): Record<string, string> {
    return {
      'content-type': 'application/json; charset=UTF-8',
      server: 'scaffolding on HTTPServer2',
      'server-timing': `gfet4t7; dur=${this.latencyMs}`,
    };
  }

  private async dispatch({ request, params, signal }: RouteContext): Promise<FakeResponse> {
    const target = params.target!;
    const colon = target.lastIndexOf(':');
    const model = colon < 0 ? target : target.slice(0, colon);
    const method = colon < 0 ? '' : target.slice(colon + 1);

    // docs/providers/gemini.md §3.0 auth: header or ?key=. docs/providers/gemini.md §3.1: no key is 403, a wrong key 400 (never 401).
    const header = request.headers['x-goog-api-key'];
    const key = (typeof header === 'string' ? header : undefined) ?? request.query.get('key') ?? '';
    if (key === '') return this.error('UNREGISTERED_CALLER');
    if (!this.settings.acceptKey(key)) return this.error('API_KEY_INVALID', { key });
    if (this.settings.disabledKeys.includes(key)) return this.error('SERVICE_DISABLED');

    if (method !== 'generateContent' && method !== 'streamGenerateContent' && method !== 'predict')
      return this.error('NOT_FOUND', { model, method: method || 'this method' });
    const family =
      (imagenFakeModels as readonly string[]).includes(model) || model.startsWith('imagen-')
        ? 'imagen'
        : 'native';
    const served = this.settings.models.includes(model) && !this.settings.retiredModels.includes(model);
    if (!served || (family === 'imagen') !== (method === 'predict'))
      return this.error('NOT_FOUND', { model, method });

    if (!isObject(request.json)) return this.invalid('Invalid JSON payload received. Expected an object.');
    const body = camelize(request.json) as JsonObject;
    this.calls.push({ model, method, key, body });

    if (method === 'predict') return this.predict(model, body);
    const outcome = this.generateContent(model, body);
    if ('refusal' in outcome) return outcome.refusal;
    if (method === 'generateContent') return { status: 200, json: outcome.body, headers: this.headers() };
    const chunks = streamChunks(outcome.body);
    // docs/providers/gemini.md §3.3: `?alt=sse` gives text/event-stream with one full response per `data:` line;
    // without it the stream is one JSON array of the same chunks.
    if (request.query.get('alt') !== 'sse') return { status: 200, json: chunks, headers: this.headers() };
    const delay = this.settings.streamChunkDelayMs;
    return {
      status: 200,
      headers: { 'content-type': 'text/event-stream', server: 'scaffolding on HTTPServer2' },
      sse: (async function* (): AsyncGenerator<SseEvent> {
        for (const [index, chunk] of chunks.entries()) {
          if (index > 0 && delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
          if (signal.aborted) return;
          yield { data: JSON.stringify(chunk) };
        }
      })(),
    };
  }

  /** Error triggers shared by both methods. */
  private errorTrigger(tokens: Set<string>, model: string): FakeResponse | undefined {
    const retryDelay = this.settings.retryDelay;
    if (tokens.has(geminiTriggers.rateLimited))
      return this.error('RESOURCE_EXHAUSTED', { model, retryDelay });
    if (tokens.has(geminiTriggers.rateLimitedMessageHint))
      return this.error('RESOURCE_EXHAUSTED', { model, retryDelay: null, retryHintInMessage: '7.96s' });
    if (tokens.has(geminiTriggers.dailyQuota))
      return this.error('RESOURCE_EXHAUSTED', { model, retryDelay, quota: 'per-day' });
    if (tokens.has(geminiTriggers.zeroQuota))
      return this.error('RESOURCE_EXHAUSTED', { model, retryDelay, quota: 'zero' });
    if (tokens.has(geminiTriggers.internal)) return this.error('INTERNAL');
    if (tokens.has(geminiTriggers.overloaded)) return this.error('UNAVAILABLE');
    if (tokens.has(geminiTriggers.deadline)) return this.error('DEADLINE_EXCEEDED');
    if (tokens.has(geminiTriggers.location)) return this.error('FAILED_PRECONDITION');
    return undefined;
  }

  /** docs/providers/gemini.md §3.3 request checks; returns the error to send, or the response body. */
  private generateContent(model: string, body: JsonObject): { refusal: FakeResponse } | { body: JsonObject } {
    const outcome = this.checkGenerateContent(model, body);
    // A Gemini body never has a top-level `status`; every refusal built by error() does.
    return 'status' in outcome ? { refusal: outcome } : { body: outcome };
  }

  private checkGenerateContent(model: string, body: JsonObject): FakeResponse | JsonObject {
    const unknown = Object.keys(body).find((field) => !generateContentFields.has(field));
    if (unknown)
      return this.invalid(`Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`);
    if (!Array.isArray(body.contents) || body.contents.length === 0)
      return this.invalid('* GenerateContentRequest.contents: contents is not specified');
    const texts: string[] = [];
    let inputImages = 0;
    for (const [contentIndex, content] of (body.contents as unknown[]).entries()) {
      if (!isObject(content) || !Array.isArray(content.parts) || content.parts.length === 0) {
        return this.invalid(
          `* GenerateContentRequest.contents[${contentIndex}].parts: contents.parts must not be empty.`,
        );
      }
      for (const [partIndex, part] of (content.parts as unknown[]).entries()) {
        const where = `contents[${contentIndex}].parts[${partIndex}]`;
        if (isObject(part) && typeof part.text === 'string') texts.push(part.text);
        else if (isObject(part) && isObject(part.inlineData)) {
          const { mimeType, data } = part.inlineData;
          if (typeof data !== 'string' || !base64Pattern.test(data) || data.length % 4 !== 0) {
            return this.invalid(
              `Invalid value at '${where}.inline_data.data' (TYPE_BYTES), Base64 decoding failed`,
            );
          }
          if (typeof mimeType !== 'string' || !inputImageTypes.has(mimeType))
            return this.invalid(`Unsupported MIME type: ${String(mimeType)}`);
          inputImages += 1;
        } else return this.invalid(`* GenerateContentRequest.${where}: part must hold text or inline_data.`);
      }
    }

    const config = body.generationConfig ?? {};
    if (!isObject(config)) return this.invalid("Invalid value at 'generation_config': expected an object.");
    const unknownConfig = Object.keys(config).find((field) => !generationConfigFields.has(field));
    if (unknownConfig)
      return this.invalid(
        `Invalid JSON payload received. Unknown name "${unknownConfig}" at 'generation_config': Cannot find field.`,
      );
    if (config.candidateCount !== undefined && config.candidateCount !== 1)
      return this.invalid('Multiple candidates is not enabled for this model.');

    // docs/providers/gemini.md §3.3: values are case-insensitive in practice. 2.0 answers text unless told otherwise.
    const given = config.responseModalities;
    if (
      given !== undefined &&
      (!Array.isArray(given) ||
        given.some((value) => typeof value !== 'string' || !['TEXT', 'IMAGE'].includes(value.toUpperCase())))
    ) {
      return this.invalid("Invalid value at 'generation_config.response_modalities'.");
    }
    const modalities: string[] = given
      ? (given as string[]).map((value) => value.toUpperCase())
      : is20Model(model)
        ? ['TEXT']
        : ['TEXT', 'IMAGE'];
    const wantsImage = modalities.includes('IMAGE');
    if (
      wantsImage &&
      !modalities.includes('TEXT') &&
      (is20Model(model) || this.settings.imageOnlyModalities === 'reject')
    ) {
      return this.invalid('Model does not support the requested response modalities: image');
    }

    const imageConfig = config.imageConfig ?? {};
    if (!isObject(imageConfig))
      return this.invalid("Invalid value at 'generation_config.image_config': expected an object.");
    for (const field of Object.keys(imageConfig)) {
      // docs/providers/gemini.md §3.3: outputMimeType and outputCompressionQuality are not supported in the Gemini API.
      if (!imageConfigFields.has(field))
        return this.invalid(
          `Invalid JSON payload received. Unknown name "${field}" at 'generation_config.image_config': Cannot find field.`,
        );
    }
    if (
      imageConfig.aspectRatio !== undefined &&
      !(geminiImageAspectRatios as readonly unknown[]).includes(imageConfig.aspectRatio)
    ) {
      return this.invalid(
        `Unsupported aspect ratio: ${String(imageConfig.aspectRatio)}. Supported: ${geminiImageAspectRatios.join(', ')}.`,
      );
    }
    if (imageConfig.imageSize !== undefined) {
      // docs/providers/gemini.md §3.3: upper-case K is required (observed); the gemini-3 models take it (unverified for others).
      if (!['1K', '2K', '4K'].includes(imageConfig.imageSize))
        return this.invalid(
          `Unsupported image size: ${String(imageConfig.imageSize)}. Supported: 1K, 2K, 4K.`,
        );
      if (!model.startsWith('gemini-3') && this.settings.imageSizeOnOtherModels === 'reject')
        return this.invalid(`imageSize is not supported for models/${model}.`);
    }

    const tokens = triggerTokens(texts.join(' '));
    const failure = this.errorTrigger(tokens, model);
    if (failure) return failure;
    const common = { modelVersion: model, responseId: randomUUID().replace(/-/g, '').slice(0, 22) };
    const promptTokenCount = Math.ceil(texts.join(' ').length / 4) + 258 * inputImages;
    const promptUsage = {
      promptTokenCount,
      totalTokenCount: promptTokenCount,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokenCount }],
    };

    const blockReason = [...tokens]
      .map((token) => /^FAKE_GEMINI_BLOCK_([A-Z_]+)$/.exec(token)?.[1])
      .find(Boolean);
    if (blockReason) {
      return {
        ...(this.settings.blockedPromptCandidates === 'empty' ? { candidates: [] } : {}),
        promptFeedback: { blockReason, safetyRatings },
        usageMetadata: promptUsage,
        ...common,
      };
    }
    if (tokens.has(geminiTriggers.feedbackOnly))
      return { candidates: [], promptFeedback: { blockReasonMessage: 'The prompt was blocked.' }, ...common };
    if (tokens.has(geminiTriggers.noCandidates))
      return { candidates: [], usageMetadata: promptUsage, ...common };

    const finishReason = [...tokens]
      .map((token) => /^FAKE_GEMINI_FINISH_([A-Z_]+)$/.exec(token)?.[1])
      .find(Boolean);
    if (finishReason) {
      const refusal = this.settings.refusalParts;
      const content =
        refusal === 'absent'
          ? {}
          : {
              content: {
                role: 'model',
                parts: refusal === 'text' ? [{ text: "I can't create that image." }] : [],
              },
            };
      return { candidates: [{ ...content, finishReason, index: 0 }], usageMetadata: promptUsage, ...common };
    }
    if (!wantsImage || tokens.has(geminiTriggers.textOnly)) {
      const parts = [{ text: 'I would describe that scene as a quiet harbour at dawn.' }];
      return {
        candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { ...promptUsage, candidatesTokenCount: 14, totalTokenCount: promptTokenCount + 14 },
        ...common,
      };
    }

    // docs/providers/gemini.md §3.3: one 1024-class image is 1290 tokens; gemini-3 counts 1120 up to 2K and 2000 at 4K (unverified).
    const imageTokens = model.startsWith('gemini-3') ? (imageConfig.imageSize === '4K' ? 2000 : 1120) : 1290;
    const image = {
      inlineData: { mimeType: this.settings.imageMimeType, data: this.settings.image.toString('base64') },
    };
    const text = { text: 'Here is the image you asked for.' };
    const thoughts =
      this.settings.thoughtParts === 'always' ||
      (this.settings.thoughtParts === 'gemini-3-pro' && model.startsWith('gemini-3-pro'))
        ? [
            { text: '**Composing the scene**\nPlanning the layout first.', thought: true },
            {
              inlineData: { mimeType: 'image/png', data: this.settings.thoughtImage.toString('base64') },
              thought: true,
            },
          ]
        : [];
    const position = this.settings.textPosition;
    const parts = [
      ...thoughts,
      ...(position === 'before' ? [text] : []),
      image,
      ...(position === 'after' ? [text] : []),
    ];
    const candidatesTokenCount = imageTokens + (position === 'none' ? 0 : 8);
    const thoughtsTokenCount = thoughts.length > 0 ? 300 : 0;
    return {
      candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
      usageMetadata: {
        promptTokenCount,
        candidatesTokenCount,
        ...(thoughtsTokenCount ? { thoughtsTokenCount } : {}),
        totalTokenCount: promptTokenCount + candidatesTokenCount + thoughtsTokenCount,
        promptTokensDetails: promptUsage.promptTokensDetails,
        candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: imageTokens }],
      },
      ...common,
    };
  }

  /** docs/providers/gemini.md §3.2 `:predict`. */
  private predict(model: string, body: JsonObject): FakeResponse {
    const instances = body.instances;
    if (!Array.isArray(instances) || instances.length !== 1 || !isObject(instances[0]))
      return this.invalid('instances must hold exactly one instance.');
    const prompt = instances[0].prompt;
    if (typeof prompt !== 'string' || prompt.trim() === '')
      return this.invalid('instances[0].prompt is required.');
    const unknownInstance = Object.keys(instances[0]).find((field) => field !== 'prompt');
    if (unknownInstance)
      return this.invalid(`${unknownInstance} is not supported in the Gemini API for ${model}.`);
    const parameters = body.parameters ?? {};
    if (!isObject(parameters)) return this.invalid('parameters must be an object.');

    for (const name of imagenRefusedParameters) {
      if (parameters[name] === undefined) continue;
      if (name === 'negativePrompt' && this.settings.negativePromptModels.includes(model)) continue;
      return this.invalid(`${name} parameter is not supported in Gemini API.`);
    }
    const sampleCount = parameters.sampleCount ?? this.settings.imagenDefaultSampleCount;
    if (!Number.isInteger(sampleCount) || sampleCount < 1 || sampleCount > 4)
      return this.invalid('sampleCount must be an integer between 1 and 4.');
    if (
      parameters.aspectRatio !== undefined &&
      !(imagenAspectRatios as readonly unknown[]).includes(parameters.aspectRatio)
    ) {
      return this.invalid(
        `Unsupported aspect ratio: ${String(parameters.aspectRatio)}. Supported: ${imagenAspectRatios.join(', ')}.`,
      );
    }
    if (parameters.personGeneration !== undefined) {
      // docs/providers/gemini.md §3.2: the doc's lower case and the SDK's upper case both work (observed).
      const value =
        typeof parameters.personGeneration === 'string' ? parameters.personGeneration.toLowerCase() : '';
      if (!personGenerationValues.includes(value))
        return this.invalid(`Unsupported personGeneration: ${String(parameters.personGeneration)}.`);
      if (value === 'allow_all' && !this.settings.allowAllPersonGeneration)
        return this.invalid('allow_all for personGeneration is currently not supported.');
    }
    if (parameters.sampleImageSize !== undefined) {
      if (!imagenSizedModels.has(model))
        return this.invalid(`sampleImageSize is not supported for ${model}.`);
      if (!['1K', '2K'].includes(parameters.sampleImageSize))
        return this.invalid(
          `Unsupported sampleImageSize: ${String(parameters.sampleImageSize)}. Supported: 1K, 2K.`,
        );
    }
    const outputOptions = parameters.outputOptions ?? {};
    if (!isObject(outputOptions)) return this.invalid('outputOptions must be an object.');
    const mimeType = outputOptions.mimeType ?? this.settings.imagenDefaultMimeType;
    if (mimeType !== 'image/png' && mimeType !== 'image/jpeg')
      return this.invalid(`Unsupported outputOptions.mimeType: ${String(mimeType)}.`);
    const quality = outputOptions.compressionQuality;
    if (quality !== undefined && (!Number.isInteger(quality) || quality < 0 || quality > 100))
      return this.invalid('outputOptions.compressionQuality must be between 0 and 100.');
    if (
      parameters.safetySetting !== undefined &&
      !safetySettingValues.includes(String(parameters.safetySetting).toLowerCase())
    ) {
      return this.invalid(`Unsupported safetySetting: ${String(parameters.safetySetting)}.`);
    }
    for (const flag of ['includeRaiReason', 'includeSafetyAttributes'] as const) {
      if (parameters[flag] !== undefined && typeof parameters[flag] !== 'boolean')
        return this.invalid(`${flag} must be a boolean.`);
    }

    const tokens = triggerTokens(prompt);
    const failure = this.errorTrigger(tokens, model);
    if (failure) return failure;
    if (tokens.has(geminiTriggers.promptRejected)) return this.error('PROMPT_BLOCKED');

    const filtered = tokens.has(geminiTriggers.filterAll)
      ? sampleCount
      : tokens.has(geminiTriggers.filterSome)
        ? Math.max(1, Math.floor(sampleCount / 2))
        : 0;
    const withReasons = parameters.includeRaiReason === true;
    const withSafety = parameters.includeSafetyAttributes === true;
    const data = (mimeType === 'image/jpeg' ? tinyJpeg() : this.settings.image).toString('base64');
    const predictions: JsonObject[] = [];
    for (let index = 0; index < sampleCount - filtered; index++) {
      predictions.push({
        bytesBase64Encoded: data,
        mimeType,
        ...(withSafety ? { safetyAttributes: { categories: ['Porn', 'Violence'], scores: [0, 0] } } : {}),
      });
    }
    if (filtered > 0 && withReasons) {
      const all = filtered === sampleCount;
      const reason = all
        ? "Unable to show generated images. All images were filtered out because they violated Google's Responsible AI practices. You will not be charged for blocked images. Try rephrasing the prompt. If you think this was an error, send feedback. Support codes: 39322892, 29310472"
        : `Your current safety filter threshold filtered out ${filtered} generated images. You will not be charged for blocked images. Try rephrasing the prompt. If you think this was an error, send feedback.`;
      const entries = this.settings.raiFilteredSlots === 'per-image' ? filtered : 1;
      for (let index = 0; index < entries; index++) predictions.push({ raiFilteredReason: reason });
    }
    if (withSafety && predictions.length > 0) {
      predictions.push({
        contentType: 'Positive Prompt',
        safetyAttributes: { categories: promptSafetyCategories, scores: promptSafetyCategories.map(() => 0) },
      });
    }
    // docs/providers/gemini.md §3.2 (unverified): with everything filtered and no reasons asked for, the body is `{}`.
    return { status: 200, json: predictions.length > 0 ? { predictions } : {}, headers: this.headers() };
  }
}

function triggerTokens(text: string): Set<string> {
  return new Set(text.match(/[A-Z0-9_]+/g) ?? []);
}

/**
 * docs/providers/gemini.md §3.3 stream shape: text chunks first, then one chunk per image part, then a final
 * chunk with finishReason and no parts. A body without candidates is one chunk.
 */
function streamChunks(body: JsonObject): JsonObject[] {
  const candidate = body.candidates?.[0];
  if (!candidate) return [body];
  const { usageMetadata, candidates: _candidates, ...rest } = body;
  const parts: JsonObject[] = candidate.content?.parts ?? [];
  const chunks: JsonObject[] = parts.map((part) => ({
    candidates: [{ content: { role: 'model', parts: [part] }, index: 0 }],
    ...rest,
  }));
  chunks.push({
    candidates: [{ finishReason: candidate.finishReason, index: 0 }],
    ...(usageMetadata ? { usageMetadata } : {}),
    ...rest,
  });
  return chunks;
}

/** `const fake = await createGeminiFake().start()`; close it in `t.teardown`. */
export function createGeminiFake(options: GeminiFakeOptions = {}): GeminiFake {
  return new GeminiFake(options);
}
