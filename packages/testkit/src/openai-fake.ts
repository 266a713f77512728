import { randomBytes } from 'node:crypto';
import { sniffImage } from '@uig/core';
import {
  FakeUpstream,
  type Fault,
  type FakeResponse,
  type FaultRule,
  type RecordedRequest,
  type RouteContext,
  type SseEvent,
} from './fake-upstream.js';
import { noisePng, tinyPng } from './test-images.js';

/**
 * A fake of the OpenAI Images API (docs/providers/openai.md §2, docs/providers/openai.md (testing notes)) on loopback. Adapters point
 * their baseURL at `fake.apiBaseURL` (`<url>/v1`). Validation follows docs/providers/openai.md §2.3–2.5 per
 * model; every point the spec marks (unverified) is an option, so tests can pin
 * either behaviour. Azure-style paths (`/openai/deployments/<name>/images/...`) are
 * served too, for OpenAI-compatible configurations.
 *
 * One file by the testkit's layout (one fake per vendor), hence longer than most.
 */

export const openaiApiPath = '/v1';

/** The rule families of docs/providers/openai.md §2.3–2.4. */
export type OpenAIFakeFamily = 'gpt-image' | 'gpt-image-2' | 'dall-e-3' | 'dall-e-2';

/** docs/providers/openai.md §2.2: the SDK enum. Retired ids are still accepted, so adapters can be tested against them. */
export const openaiFakeModels: Readonly<Record<string, OpenAIFakeFamily>> = {
  'gpt-image-1': 'gpt-image',
  'gpt-image-1-mini': 'gpt-image',
  'gpt-image-1.5': 'gpt-image',
  'gpt-image-2': 'gpt-image-2',
  'gpt-image-2-2026-04-21': 'gpt-image-2',
  'chatgpt-image-latest': 'gpt-image',
  'dall-e-3': 'dall-e-3',
  'dall-e-2': 'dall-e-2',
};

/** Put one of these in a prompt to get the matching docs/providers/openai.md §2.8 error. None is a prefix of another. */
export const openaiTriggers = {
  /** 400 `moderation_blocked` for GPT image, `content_policy_violation` for DALL·E (docs/providers/openai.md (testing notes)). */
  unsafe: 'FAKE_OPENAI_UNSAFE',
  moderationBlocked: 'FAKE_OPENAI_MODERATION_BLOCKED',
  contentPolicy: 'FAKE_OPENAI_CONTENT_POLICY',
  /** 400 invalid parameter naming `size`. */
  invalidParameter: 'FAKE_OPENAI_INVALID_PARAMETER',
  invalidApiKey: 'FAKE_OPENAI_INVALID_API_KEY',
  permissionDenied: 'FAKE_OPENAI_PERMISSION_DENIED',
  modelNotFound: 'FAKE_OPENAI_MODEL_NOT_FOUND',
  rateLimit: 'FAKE_OPENAI_RATE_LIMIT',
  quota: 'FAKE_OPENAI_QUOTA',
  serverError: 'FAKE_OPENAI_SERVER_ERROR',
  /** Streaming only: one partial image, then `event: error` (docs/providers/openai.md §2.7). */
  streamError: 'FAKE_OPENAI_STREAM_ERROR',
} as const;

export type OpenAIErrorKind =
  | 'moderation_blocked'
  | 'content_policy_violation'
  | 'invalid_parameter'
  | 'invalid_api_key'
  | 'permission_denied'
  | 'model_not_found'
  | 'rate_limit_exceeded'
  | 'insufficient_quota'
  | 'server_error';

/** docs/providers/openai.md §2.8 bodies, as captured (messages included: adapters must not depend on them). */
const errorCatalog: Record<
  OpenAIErrorKind,
  { status: number; type: string; code: string | null; param: string | null; message: string }
> = {
  moderation_blocked: {
    status: 400,
    type: 'image_generation_user_error',
    code: 'moderation_blocked',
    param: null,
    message:
      'Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID {id}. safety_violations=[sexual].',
  },
  content_policy_violation: {
    status: 400,
    type: 'invalid_request_error',
    code: 'content_policy_violation',
    param: null,
    message:
      'Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.',
  },
  invalid_parameter: {
    status: 400,
    type: 'invalid_request_error',
    code: null,
    param: null,
    message: "'512x513' is not one of ['256x256', '512x512', '1024x1024'] - 'size'",
  },
  invalid_api_key: {
    status: 401,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    param: null,
    message:
      'Incorrect API key provided: sk-****. You can find your API key at https://platform.openai.com/account/api-keys.',
  },
  permission_denied: {
    status: 403,
    type: 'invalid_request_error',
    code: null,
    param: null,
    message: 'Your organization must be verified to use this model.',
  },
  model_not_found: {
    status: 404,
    type: 'invalid_request_error',
    code: 'model_not_found',
    param: null,
    message: 'The model does not exist or you do not have access to it.',
  },
  rate_limit_exceeded: {
    status: 429,
    type: 'requests',
    code: 'rate_limit_exceeded',
    param: null,
    message:
      'Rate limit exceeded for images per minute in organization org-XXXX. Limit: 5/1min. Current: 6/1min. Please visit https://platform.openai.com/docs/guides/rate-limits to learn how to increase your rate limit.',
  },
  insufficient_quota: {
    status: 429,
    type: 'insufficient_quota',
    code: 'insufficient_quota',
    param: null,
    message: 'You exceeded your current quota, please check your plan and billing details.',
  },
  server_error: {
    status: 500,
    type: 'server_error',
    code: null,
    param: null,
    message: 'The server had an error while processing your request. Sorry about that!',
  },
};

export interface OpenAIErrorBodyOptions {
  message?: string;
  param?: string | null;
  /** Overrides the code (docs/providers/openai.md §2.8: `insufficient_quota` was observed with `code: null`). */
  code?: string | null;
  /** Observed on some moderation paths (docs/providers/openai.md §2.8). */
  moderationStage?: 'input' | 'output';
  requestId?: string;
}

/** A docs/providers/openai.md §2.8 body: `{"error":{"message","type","param","code"}}`. */
export function openaiErrorBody(
  kind: OpenAIErrorKind,
  options: OpenAIErrorBodyOptions = {},
): { error: Record<string, unknown> } {
  const entry = errorCatalog[kind];
  const error: Record<string, unknown> = {
    message: (options.message ?? entry.message).replace('{id}', options.requestId ?? newRequestId()),
    type: entry.type,
    param: options.param === undefined ? entry.param : options.param,
    code: options.code === undefined ? entry.code : options.code,
  };
  if (options.moderationStage)
    error.moderation_details = { moderation_stage: options.moderationStage, categories: ['sexual'] };
  return { error };
}

export function openaiErrorStatus(kind: OpenAIErrorKind): number {
  return errorCatalog[kind].status;
}

export interface OpenAIErrorFaultOptions extends OpenAIErrorBodyOptions {
  status?: number;
  /** `retry-after` (seconds or an HTTP date) and `retry-after-ms` (docs/providers/openai.md §2.8); only sent when given. */
  retryAfter?: string;
  retryAfterMs?: string;
  headers?: Record<string, string>;
}

/** A fault for `fake.inject()` answering with the docs/providers/openai.md §2.8 error for `kind`, with an `x-request-id`. */
export function openaiErrorFault(kind: OpenAIErrorKind, options: OpenAIErrorFaultOptions = {}): Fault {
  const requestId = options.requestId ?? newRequestId();
  const headers: Record<string, string> = { 'x-request-id': requestId, ...options.headers };
  if (options.retryAfter !== undefined) headers['retry-after'] = options.retryAfter;
  if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = options.retryAfterMs;
  return {
    kind: 'status',
    status: options.status ?? openaiErrorStatus(kind),
    body: openaiErrorBody(kind, { ...options, requestId }),
    headers,
  };
}

const newRequestId = () => `req_${randomBytes(16).toString('hex')}`;

export interface OpenAIFakeOptions {
  /** Added before every answer. docs/providers/openai.md §2.9: real calls take tens of seconds; default 0. */
  latencyMs?: number;
  /** Which keys authenticate; others get 401 `invalid_api_key`. Default: any non-empty key. */
  acceptKey?: (key: string) => boolean;
  /** Where the key is read: `authorization` (Bearer, default) or e.g. `api-key` (Azure). */
  apiKeyHeader?: string;
  /** Model ids and the rule family each follows (default `openaiFakeModels`). */
  models?: Readonly<Record<string, OpenAIFakeFamily>>;
  /** docs/providers/openai.md §2.2: ids that answer 404 `model_not_found`, as shut-down models are reported to. Default none. */
  retiredModels?: readonly string[];
  /** docs/providers/openai.md §2.3 (unverified): `response_format` sent to a GPT-image model is a 400 or ignored. Default `error`. */
  gptImageResponseFormat?: 'error' | 'ignore';
  /** docs/providers/openai.md §2.7 (unverified): end a stream with `data: [DONE]`. Default false. */
  sendDone?: boolean;
  /**
   * docs/providers/openai.md §2.8: `legacy` answers bad parameters as the captured body does (code and param
   * null, the field at the end of the message); `current` with code `invalid_value`
   * and `param`. Default `legacy`.
   */
  invalidParameterStyle?: 'legacy' | 'current';
  /** docs/providers/openai.md §2.8 (unverified): the code of an insufficient_quota body. Default `insufficient_quota`. */
  quotaCode?: 'insufficient_quota' | null;
  /** Add `moderation_details` (observed) to moderation_blocked bodies. Default false. */
  moderationDetails?: boolean;
  /** Retry hints on a triggered 429 rate_limit_exceeded. Default `{ retryAfter: '1', retryAfterMs: '1000' }`. */
  retryHints?: { retryAfter?: string; retryAfterMs?: string };
  /** docs/providers/openai.md §2.1 (unverified for images): `x-ratelimit-*` headers; false omits them. Default 50 requests. */
  rateLimitHeaders?: false | { limitRequests?: number; resetRequests?: string };
  /** The image returned (default `tinyPng()`). */
  image?: Buffer;
  /**
   * Benchmarks: answer every generation and edit with a precomputed body (one fixed
   * image, `tiny` or `large` ≈ 1.5 MB of base64), checking only that a key is sent.
   */
  zeroWork?: false | 'tiny' | 'large';
}

interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** A small multipart/form-data parser: enough for the SDK's and curl's uploads. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!match) return undefined;
  const delimiter = Buffer.from(`--${match[1] ?? match[2]}`);
  const parts: MultipartPart[] = [];
  let cursor = body.indexOf(delimiter);
  if (cursor < 0) return undefined;
  for (;;) {
    cursor += delimiter.length;
    if (body[cursor] === 0x2d && body[cursor + 1] === 0x2d) return parts; // closing `--`
    cursor += 2; // CRLF after the delimiter
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), cursor);
    if (next < 0) return undefined;
    const part = body.subarray(cursor, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) return undefined;
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) return undefined;
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
    parts.push({
      name,
      data: part.subarray(headerEnd + 4),
      ...(filename !== undefined ? { filename } : {}),
      ...(type ? { contentType: type } : {}),
    });
    cursor = next + 2;
  }
}

// docs/providers/openai.md §2.3: sizes per family; gpt-image-2 also takes free sizes (checked in freeSizeProblem).
const sizeLists: Record<OpenAIFakeFamily, readonly string[]> = {
  'gpt-image': ['1024x1024', '1536x1024', '1024x1536', 'auto'],
  'gpt-image-2': ['1024x1024', '1536x1024', '1024x1536', 'auto'],
  'dall-e-3': ['1024x1024', '1792x1024', '1024x1792'],
  'dall-e-2': ['256x256', '512x512', '1024x1024'],
};
const qualityLists: Record<OpenAIFakeFamily, readonly string[]> = {
  'gpt-image': ['low', 'medium', 'high', 'auto'],
  'gpt-image-2': ['low', 'medium', 'high', 'auto'],
  'dall-e-3': ['standard', 'hd', 'auto'],
  'dall-e-2': ['standard', 'auto'],
};
const promptLimits: Record<OpenAIFakeFamily, number> = {
  'gpt-image': 32000,
  'gpt-image-2': 32000,
  'dall-e-3': 4000,
  'dall-e-2': 1000,
};
const generationFields = new Set([
  'prompt',
  'model',
  'n',
  'size',
  'quality',
  'style',
  'response_format',
  'background',
  'output_format',
  'output_compression',
  'moderation',
  'stream',
  'partial_images',
  'user',
]);
// docs/providers/openai.md §2.4: no `moderation`, no `style`; images and mask are files.
const editFields = new Set([
  'prompt',
  'model',
  'n',
  'size',
  'quality',
  'response_format',
  'background',
  'output_format',
  'output_compression',
  'input_fidelity',
  'stream',
  'partial_images',
  'user',
]);
const variationFields = new Set(['model', 'n', 'size', 'response_format', 'user']);
const gptOnlyFields = [
  'background',
  'output_format',
  'output_compression',
  'moderation',
  'stream',
  'partial_images',
  'input_fidelity',
];
const megabytes = (count: number) => count * 1024 * 1024;

/** docs/providers/openai.md §2.3 gpt-image-2: sides %16, longest ≤ 3840, ratio ≤ 3:1, 655,360–8,294,400 px (third-party docs). */
function freeSizeProblem(size: string): string | undefined {
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!match) return `Invalid size '${size}'`;
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width % 16 !== 0 || height % 16 !== 0) return 'Both dimensions must be multiples of 16';
  if (Math.max(width, height) > 3840) return 'The longest edge must be at most 3840 pixels';
  if (Math.max(width, height) / Math.min(width, height) > 3) return 'The aspect ratio must be at most 3:1';
  if (width * height < 655_360 || width * height > 8_294_400)
    return 'The total pixel count must be between 655360 and 8294400';
  return undefined;
}

/** Output image tokens per image by quality and size (published table); other sizes scale 1024² by pixels. */
const outputTokens: Record<string, Record<string, number>> = {
  low: { '1024x1024': 272, '1024x1536': 408, '1536x1024': 400 },
  medium: { '1024x1024': 1056, '1024x1536': 1584, '1536x1024': 1568 },
  high: { '1024x1024': 4160, '1024x1536': 6240, '1536x1024': 6208 },
};

interface Job {
  kind: 'generation' | 'edit' | 'variation';
  family: OpenAIFakeFamily;
  prompt: string;
  n: number;
  size: string;
  quality: string;
  background: string;
  outputFormat: string;
  responseFormat: 'url' | 'b64_json';
  stream: boolean;
  partialImages: number;
  inputImages: number;
}

type Fields = Record<string, unknown>;

export class OpenAIFake extends FakeUpstream {
  private readonly settings: Required<
    Omit<OpenAIFakeOptions, 'latencyMs' | 'image' | 'rateLimitHeaders' | 'zeroWork'>
  >;
  private readonly image: Buffer;
  private readonly rateLimit: false | { limitRequests: number; resetRequests: string };
  private readonly zeroWork: false | 'tiny' | 'large';
  private readonly zeroWorkBodies = new Map<number, Buffer>();
  private zeroWorkBase64: string | undefined;
  private served = 0;

  constructor(options: OpenAIFakeOptions = {}) {
    super({ latencyMs: options.latencyMs ?? 0 });
    this.settings = {
      acceptKey: options.acceptKey ?? (() => true),
      apiKeyHeader: (options.apiKeyHeader ?? 'authorization').toLowerCase(),
      models: options.models ?? openaiFakeModels,
      retiredModels: options.retiredModels ?? [],
      gptImageResponseFormat: options.gptImageResponseFormat ?? 'error',
      sendDone: options.sendDone ?? false,
      invalidParameterStyle: options.invalidParameterStyle ?? 'legacy',
      quotaCode: options.quotaCode === undefined ? 'insufficient_quota' : options.quotaCode,
      moderationDetails: options.moderationDetails ?? false,
      retryHints: options.retryHints ?? { retryAfter: '1', retryAfterMs: '1000' },
    };
    this.image = options.image ?? tinyPng();
    this.rateLimit =
      options.rateLimitHeaders === false
        ? false
        : { limitRequests: 50, resetRequests: '1.2s', ...options.rateLimitHeaders };
    this.zeroWork = options.zeroWork ?? false;
    for (const prefix of [openaiApiPath, '/openai/deployments/:deployment']) {
      this.route('POST', `${prefix}/images/generations`, (context) => this.serve('generation', context));
      this.route('POST', `${prefix}/images/edits`, (context) => this.serve('edit', context));
      this.route('POST', `${prefix}/images/variations`, (context) => this.serve('variation', context));
    }
  }

  /** The base URL an adapter is configured with. */
  get apiBaseURL(): string {
    return `${this.url}${openaiApiPath}`;
  }

  /** Answer the next matching requests with the docs/providers/openai.md §2.8 error for `kind` (see FaultRule for times/after/match). */
  failWith(kind: OpenAIErrorKind, rule: Omit<FaultRule, 'fault'> & OpenAIErrorFaultOptions = {}): this {
    const { times, after, match, ...fault } = rule;
    return this.inject({
      fault: openaiErrorFault(kind, fault),
      ...(times !== undefined ? { times } : {}),
      ...(after !== undefined ? { after } : {}),
      ...(match ? { match } : {}),
    });
  }

  private headers(): Record<string, string> {
    this.served += 1;
    const headers: Record<string, string> = {
      'x-request-id': newRequestId(),
      'openai-processing-ms': '1',
      'openai-version': '2020-10-01',
    };
    if (this.rateLimit) {
      headers['x-ratelimit-limit-requests'] = String(this.rateLimit.limitRequests);
      headers['x-ratelimit-remaining-requests'] = String(
        Math.max(0, this.rateLimit.limitRequests - this.served),
      );
      headers['x-ratelimit-reset-requests'] = this.rateLimit.resetRequests;
    }
    return headers;
  }

  private error(
    kind: OpenAIErrorKind,
    options: OpenAIErrorBodyOptions & { status?: number } = {},
  ): FakeResponse {
    const headers = this.headers();
    if (kind === 'rate_limit_exceeded') {
      const { retryAfter, retryAfterMs } = this.settings.retryHints;
      if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
      if (retryAfterMs !== undefined) headers['retry-after-ms'] = retryAfterMs;
    }
    const code =
      kind === 'insufficient_quota' && options.code === undefined ? this.settings.quotaCode : options.code;
    const body = openaiErrorBody(kind, { ...options, code, requestId: headers['x-request-id']! });
    return { status: options.status ?? openaiErrorStatus(kind), headers, json: body };
  }

  /** docs/providers/openai.md §2.8 invalid parameter, in the configured style. */
  private invalid(field: string, message: string, code = 'invalid_value'): FakeResponse {
    return this.settings.invalidParameterStyle === 'legacy'
      ? this.error('invalid_parameter', { message: `${message} - '${field}'`, param: null, code: null })
      : this.error('invalid_parameter', { message, param: field, code });
  }

  private authenticate(request: RecordedRequest): FakeResponse | undefined {
    const header = request.headers[this.settings.apiKeyHeader];
    const raw = typeof header === 'string' ? header.trim() : '';
    const key =
      this.settings.apiKeyHeader === 'authorization' ? /^Bearer\s+(\S+)$/i.exec(raw)?.[1] : raw || undefined;
    if (!key) {
      return this.error('invalid_api_key', {
        status: 401,
        code: null,
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      });
    }
    if (!this.settings.acceptKey(key)) return this.error('invalid_api_key');
    return undefined;
  }

  private async serve(kind: Job['kind'], { request, signal }: RouteContext): Promise<FakeResponse> {
    const denied = this.authenticate(request);
    if (denied) return denied;
    if (this.zeroWork) return this.zeroWorkAnswer(request);
    const fields = kind === 'generation' ? this.jsonFields(request) : this.multipartFields(request, kind);
    if (!('fields' in fields)) return fields;
    const job = this.validate(kind, fields.fields, fields.files);
    if (!('family' in job)) return job;
    const refused = this.triggered(job);
    if (refused) return refused;
    return job.stream ? this.streamAnswer(job, signal) : this.answer(job);
  }

  private jsonFields(
    request: RecordedRequest,
  ): { fields: Fields; files: Map<string, MultipartPart[]> } | FakeResponse {
    const body = request.json;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return this.error('invalid_parameter', {
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
      });
    }
    return { fields: body as Fields, files: new Map() };
  }

  private multipartFields(
    request: RecordedRequest,
    kind: Job['kind'],
  ): { fields: Fields; files: Map<string, MultipartPart[]> } | FakeResponse {
    const contentType = String(request.headers['content-type'] ?? '');
    const parts = contentType.startsWith('multipart/form-data')
      ? parseMultipart(request.body, contentType)
      : undefined;
    if (!parts)
      return this.error('invalid_parameter', {
        message: `Invalid Content-Type header (${contentType || 'none'}), expected multipart/form-data.`,
      });
    const fields: Fields = {};
    const files = new Map<string, MultipartPart[]>();
    const fileFields = kind === 'edit' ? ['image', 'image[]', 'mask'] : ['image'];
    for (const part of parts) {
      if (fileFields.includes(part.name)) files.set(part.name, [...(files.get(part.name) ?? []), part]);
      else fields[part.name] = part.data.toString('utf8');
    }
    // docs/providers/openai.md §2.4: multipart values are strings.
    for (const name of ['n', 'output_compression', 'partial_images']) {
      if (typeof fields[name] === 'string' && /^-?\d+$/.test(fields[name]))
        fields[name] = Number(fields[name]);
    }
    if (fields.stream === 'true' || fields.stream === 'false') fields.stream = fields.stream === 'true';
    return { fields, files };
  }

  private validate(
    kind: Job['kind'],
    fields: Fields,
    files: Map<string, MultipartPart[]>,
  ): Job | FakeResponse {
    const allowed = kind === 'generation' ? generationFields : kind === 'edit' ? editFields : variationFields;
    const unknown = Object.keys(fields).find((name) => !allowed.has(name));
    if (unknown)
      return this.error('invalid_parameter', {
        message: `Unknown parameter: '${unknown}'.`,
        param: unknown,
        code: 'unknown_parameter',
      });

    const prompt = kind === 'variation' ? '' : fields.prompt;
    if (typeof prompt !== 'string' || (kind !== 'variation' && prompt.length === 0)) {
      return this.error('invalid_parameter', {
        message: "Missing required parameter: 'prompt'.",
        param: 'prompt',
        code: 'missing_required_parameter',
      });
    }
    // docs/providers/openai.md §2.3: generations default to dall-e-2 unless a GPT-image-only field is present; docs/providers/openai.md §2.4: edits to gpt-image-1.5.
    const gptHint = gptOnlyFields.some((name) => fields[name] !== undefined);
    const model =
      typeof fields.model === 'string'
        ? fields.model
        : kind === 'edit'
          ? 'gpt-image-1.5'
          : kind === 'generation' && gptHint
            ? 'gpt-image-1'
            : 'dall-e-2';
    const family = this.settings.models[model];
    if (!family || this.settings.retiredModels.includes(model)) {
      return this.error('model_not_found', {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
      });
    }
    const gpt = family === 'gpt-image' || family === 'gpt-image-2';
    if (kind === 'edit' && family === 'dall-e-3')
      return this.invalid(
        'model',
        `Invalid model ${model}. The model must be one of gpt-image-1, gpt-image-1-mini, gpt-image-1.5, gpt-image-2, chatgpt-image-latest or dall-e-2`,
      );
    if (kind === 'variation' && family !== 'dall-e-2')
      return this.invalid('model', `Invalid model ${model}. Variations support dall-e-2 only`);
    if (prompt.length > promptLimits[family]) {
      return this.error('invalid_parameter', {
        message: `Invalid 'prompt': string too long. Expected a string with maximum length ${promptLimits[family]}, but got a string with length ${prompt.length} instead.`,
        param: 'prompt',
        code: 'string_above_max_length',
      });
    }

    const n = fields.n ?? 1;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10)
      return this.invalid('n', `${JSON.stringify(n)} is not a valid integer between 1 and 10`);
    if (family === 'dall-e-3' && n !== 1) return this.invalid('n', 'dall-e-3 only supports n=1');

    // docs/providers/openai.md §2.3: generations default to `auto` on GPT image; docs/providers/openai.md §2.4: edits to 1024x1024.
    const size = fields.size ?? (kind === 'generation' && gpt ? 'auto' : '1024x1024');
    if (typeof size !== 'string')
      return this.invalid('size', `${JSON.stringify(size)} is not of type 'string'`);
    if (!sizeLists[family].includes(size)) {
      const problem =
        family === 'gpt-image-2'
          ? freeSizeProblem(size)
          : `'${size}' is not one of ${JSON.stringify(sizeLists[family]).replaceAll('"', "'")}`;
      if (problem) return this.invalid('size', problem);
    }

    const quality = fields.quality ?? 'auto';
    const qualities =
      kind === 'edit' && family === 'dall-e-2'
        ? ['standard', 'auto']
        : kind === 'variation'
          ? ['auto']
          : qualityLists[family];
    if (typeof quality !== 'string' || !qualities.includes(quality))
      return this.invalid(
        'quality',
        `'${String(quality)}' is not one of ${JSON.stringify(qualities).replaceAll('"', "'")}`,
      );

    if (fields.style !== undefined) {
      if (family !== 'dall-e-3') return this.invalid('style', 'style is only supported for dall-e-3');
      if (fields.style !== 'vivid' && fields.style !== 'natural')
        return this.invalid('style', `'${String(fields.style)}' is not one of ['vivid', 'natural']`);
    }

    let responseFormat: Job['responseFormat'] = gpt ? 'b64_json' : 'url';
    if (fields.response_format !== undefined) {
      if (gpt && this.settings.gptImageResponseFormat === 'error') {
        return this.error('invalid_parameter', {
          message: "Unknown parameter: 'response_format'.",
          param: 'response_format',
          code: 'unknown_parameter',
        });
      }
      if (fields.response_format !== 'url' && fields.response_format !== 'b64_json')
        return this.invalid(
          'response_format',
          `'${String(fields.response_format)}' is not one of ['url', 'b64_json']`,
        );
      if (!gpt) responseFormat = fields.response_format;
    }

    if (!gpt) {
      const gptField = gptOnlyFields.find((name) => fields[name] !== undefined);
      if (gptField) return this.invalid(gptField, `${gptField} is only supported for GPT image models`);
    }
    const outputFormat = fields.output_format ?? 'png';
    if (outputFormat !== 'png' && outputFormat !== 'jpeg' && outputFormat !== 'webp')
      return this.invalid('output_format', `'${String(outputFormat)}' is not one of ['png', 'jpeg', 'webp']`);
    const background = fields.background ?? 'auto';
    if (background !== 'transparent' && background !== 'opaque' && background !== 'auto')
      return this.invalid(
        'background',
        `'${String(background)}' is not one of ['transparent', 'opaque', 'auto']`,
      );
    // docs/providers/openai.md §2.3: a transparent background needs png or webp.
    if (background === 'transparent' && outputFormat === 'jpeg')
      return this.invalid('background', 'Transparent background requires output_format png or webp');
    if (fields.output_compression !== undefined) {
      const compression = fields.output_compression;
      if (
        typeof compression !== 'number' ||
        !Number.isInteger(compression) ||
        compression < 0 ||
        compression > 100
      )
        return this.invalid('output_compression', 'output_compression must be an integer between 0 and 100');
      if (outputFormat === 'png' && compression !== 100)
        return this.invalid(
          'output_compression',
          'Compression less than 100 is only supported for JPEG and WEBP output formats',
        );
    }
    if (fields.moderation !== undefined && fields.moderation !== 'low' && fields.moderation !== 'auto')
      return this.invalid('moderation', `'${String(fields.moderation)}' is not one of ['low', 'auto']`);
    if (fields.input_fidelity !== undefined) {
      if (fields.input_fidelity !== 'high' && fields.input_fidelity !== 'low')
        return this.invalid(
          'input_fidelity',
          `'${String(fields.input_fidelity)}' is not one of ['high', 'low']`,
        );
      // docs/providers/openai.md §2.4: not for gpt-image-1-mini.
      if (model === 'gpt-image-1-mini')
        return this.invalid('input_fidelity', 'input_fidelity is not supported for gpt-image-1-mini');
    }
    if (fields.stream !== undefined && typeof fields.stream !== 'boolean')
      return this.invalid('stream', `${JSON.stringify(fields.stream)} is not of type 'boolean'`);
    const partialImages = fields.partial_images ?? 0;
    if (
      typeof partialImages !== 'number' ||
      !Number.isInteger(partialImages) ||
      partialImages < 0 ||
      partialImages > 3
    )
      return this.invalid('partial_images', 'partial_images must be an integer between 0 and 3');
    if (fields.user !== undefined && typeof fields.user !== 'string')
      return this.invalid('user', `${JSON.stringify(fields.user)} is not of type 'string'`);

    let inputImages = 0;
    if (kind !== 'generation') {
      const inputs = this.checkInputs(kind, family, files);
      if (!('count' in inputs)) return inputs;
      inputImages = inputs.count;
    }

    return {
      kind,
      family,
      prompt,
      n,
      size,
      quality: quality === 'auto' ? (gpt ? 'medium' : 'standard') : quality,
      background: background === 'auto' ? 'opaque' : background,
      outputFormat,
      responseFormat,
      stream: fields.stream === true,
      partialImages,
      inputImages,
    };
  }

  /** docs/providers/openai.md §2.4–2.5 input limits: GPT image png/webp/jpeg < 50 MB, up to 16; dall-e-2 one square PNG < 4 MB; mask PNG < 4 MB, first image's size. */
  private checkInputs(
    kind: Job['kind'],
    family: OpenAIFakeFamily,
    files: Map<string, MultipartPart[]>,
  ): { count: number } | FakeResponse {
    const images = [...(files.get('image') ?? []), ...(files.get('image[]') ?? [])];
    if (images.length === 0)
      return this.error('invalid_parameter', {
        message: "Missing required parameter: 'image'.",
        param: 'image',
        code: 'missing_required_parameter',
      });
    const gpt = family === 'gpt-image' || family === 'gpt-image-2';
    if (images.length > (gpt ? 16 : 1))
      return this.invalid('image', `Too many images: at most ${gpt ? 16 : 1}`);
    const infos = [];
    for (const image of images) {
      const info = sniffImage(image.data);
      const formats = gpt ? ['image/png', 'image/jpeg', 'image/webp'] : ['image/png'];
      if (!info || !formats.includes(info.mimeType)) {
        return this.error('invalid_parameter', {
          message: `Invalid file 'image': unsupported mimetype. Supported file formats are ${formats.join(', ')}.`,
          param: 'image',
          code: 'invalid_image_format',
        });
      }
      if (image.data.length >= megabytes(gpt ? 50 : 4))
        return this.invalid('image', `Image must be smaller than ${gpt ? 50 : 4} MB`);
      if (!gpt && info.width !== info.height) return this.invalid('image', 'Image must be square');
      infos.push(info);
    }
    const mask = files.get('mask')?.[0];
    if (mask) {
      if (kind !== 'edit')
        return this.error('invalid_parameter', {
          message: "Unknown parameter: 'mask'.",
          param: 'mask',
          code: 'unknown_parameter',
        });
      const info = sniffImage(mask.data);
      if (info?.mimeType !== 'image/png') return this.invalid('mask', 'The mask must be a PNG image');
      if (mask.data.length >= megabytes(4)) return this.invalid('mask', 'The mask must be smaller than 4 MB');
      if (info.width !== infos[0]!.width || info.height !== infos[0]!.height)
        return this.invalid('mask', 'The mask and image must have the same dimensions');
    }
    return { count: images.length };
  }

  private triggered(job: Job): FakeResponse | undefined {
    const prompt = job.prompt;
    const gpt = job.family === 'gpt-image' || job.family === 'gpt-image-2';
    const moderation = (): FakeResponse =>
      this.error('moderation_blocked', this.settings.moderationDetails ? { moderationStage: 'input' } : {});
    if (prompt.includes(openaiTriggers.unsafe))
      return gpt ? moderation() : this.error('content_policy_violation');
    if (prompt.includes(openaiTriggers.moderationBlocked)) return moderation();
    if (prompt.includes(openaiTriggers.contentPolicy)) return this.error('content_policy_violation');
    if (prompt.includes(openaiTriggers.invalidParameter))
      return this.invalid('size', "'512x513' is not one of ['256x256', '512x512', '1024x1024']");
    const simple: Array<[string, OpenAIErrorKind]> = [
      [openaiTriggers.invalidApiKey, 'invalid_api_key'],
      [openaiTriggers.permissionDenied, 'permission_denied'],
      [openaiTriggers.modelNotFound, 'model_not_found'],
      [openaiTriggers.rateLimit, 'rate_limit_exceeded'],
      [openaiTriggers.quota, 'insufficient_quota'],
      [openaiTriggers.serverError, 'server_error'],
    ];
    const hit = simple.find(([word]) => prompt.includes(word));
    return hit ? this.error(hit[1]) : undefined;
  }

  /** docs/providers/openai.md §2.6 usage for GPT image: deterministic numbers shaped like the vendor's. */
  private usage(job: Job, images: number, withInput = true): Record<string, unknown> {
    const size = job.size === 'auto' ? '1024x1024' : job.size;
    const table = outputTokens[job.quality] ?? outputTokens.medium!;
    const [width, height] = size.split('x').map(Number) as [number, number];
    const perImage = table[size] ?? Math.round(table['1024x1024']! * ((width * height) / 1024 ** 2));
    const textTokens = withInput ? Math.ceil(job.prompt.length / 4) : 0;
    const imageTokens = withInput ? job.inputImages * 323 : 0;
    const output = perImage * images;
    return {
      total_tokens: textTokens + imageTokens + output,
      input_tokens: textTokens + imageTokens,
      output_tokens: output,
      input_tokens_details: { text_tokens: textTokens, image_tokens: imageTokens },
      output_tokens_details: { image_tokens: output, text_tokens: 0 },
    };
  }

  private answer(job: Job): FakeResponse {
    const created = Math.floor(Date.now() / 1000);
    const headers = this.headers();
    if (job.family === 'gpt-image' || job.family === 'gpt-image-2') {
      const b64 = this.image.toString('base64');
      return {
        status: 200,
        headers,
        json: {
          created,
          background: job.background,
          output_format: job.outputFormat,
          quality: job.quality,
          size: job.size === 'auto' ? '1024x1024' : job.size,
          data: Array.from({ length: job.n }, () => ({ b64_json: b64 })),
          usage: this.usage(job, job.n),
        },
      };
    }
    const data = Array.from({ length: job.n }, () => ({
      ...(job.responseFormat === 'url'
        ? { url: this.serveFile(this.image) }
        : { b64_json: this.image.toString('base64') }),
      // docs/providers/openai.md §2.6: revised_prompt is dall-e-3 only.
      ...(job.family === 'dall-e-3'
        ? { revised_prompt: `A detailed, vivid rendering of: ${job.prompt}` }
        : {}),
    }));
    return { status: 200, headers, json: { created, data } };
  }

  /** docs/providers/openai.md §2.7: per image, `partial_images` partial events, then a completed event with usage. */
  private streamAnswer(job: Job, signal: AbortSignal): FakeResponse {
    const prefix = job.kind === 'edit' ? 'image_edit' : 'image_generation';
    const b64 = this.image.toString('base64');
    const common = {
      size: job.size === 'auto' ? '1024x1024' : job.size,
      quality: job.quality,
      background: job.background,
      output_format: job.outputFormat,
    };
    const failMidway = job.prompt.includes(openaiTriggers.streamError);
    const sendDone = this.settings.sendDone;
    const usage = (index: number) => this.usage(job, 1, index === 0);
    async function* events(): AsyncGenerator<SseEvent> {
      for (let index = 0; index < job.n && !signal.aborted; index++) {
        for (let partial = 0; partial < job.partialImages; partial++) {
          const event = `${prefix}.partial_image`;
          yield {
            event,
            data: JSON.stringify({
              type: event,
              b64_json: b64,
              partial_image_index: partial,
              created_at: Math.floor(Date.now() / 1000),
              ...common,
            }),
          };
          if (failMidway) {
            yield {
              event: 'error',
              data: JSON.stringify({ type: 'error', error: openaiErrorBody('server_error').error }),
            };
            return;
          }
        }
        if (failMidway) {
          yield {
            event: 'error',
            data: JSON.stringify({ type: 'error', error: openaiErrorBody('server_error').error }),
          };
          return;
        }
        const event = `${prefix}.completed`;
        yield {
          event,
          data: JSON.stringify({
            type: event,
            b64_json: b64,
            created_at: Math.floor(Date.now() / 1000),
            ...common,
            usage: usage(index),
          }),
        };
      }
      if (sendDone) yield { data: '[DONE]' };
    }
    return { status: 200, headers: this.headers(), sse: events() };
  }

  /** Benchmarks: a precomputed body per n; only the key was checked. */
  private zeroWorkAnswer(request: RecordedRequest): FakeResponse {
    const asked = (request.json as { n?: unknown } | undefined)?.n;
    const n = typeof asked === 'number' && Number.isInteger(asked) && asked >= 1 && asked <= 10 ? asked : 1;
    let body = this.zeroWorkBodies.get(n);
    if (!body) {
      // test-images.ts: 1.1 MiB of noise PNG is about 1.5 MB of base64, like a real 1024² image.
      this.zeroWorkBase64 ??= (this.zeroWork === 'large' ? noisePng(1_100_000) : this.image).toString(
        'base64',
      );
      const b64 = this.zeroWorkBase64;
      const data = Array.from({ length: n }, () => `{"b64_json":"${b64}"}`).join(',');
      const usage =
        '{"total_tokens":1066,"input_tokens":10,"output_tokens":1056,"input_tokens_details":{"text_tokens":10,"image_tokens":0}}';
      body = Buffer.from(
        `{"created":${Math.floor(Date.now() / 1000)},"background":"opaque","output_format":"png","quality":"medium","size":"1024x1024","data":[${data}],"usage":${usage}}`,
      );
      this.zeroWorkBodies.set(n, body);
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': `req_zero_${++this.served}` },
      body,
    };
  }
}

/** `const fake = await createOpenAIFake().start()`; close it in `t.teardown`. */
export function createOpenAIFake(options: OpenAIFakeOptions = {}): OpenAIFake {
  return new OpenAIFake(options);
}
