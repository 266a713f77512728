import {
  FakeUpstream,
  type FakeResponse,
  type FaultRule,
  type RecordedRequest,
  type RouteContext,
} from '../fake-upstream.js';
import { type MultipartPart, parseMultipart } from '../multipart.js';
import { tinyPng } from '../test-images.js';
import { type OpenAIAnswerContext, openaiAnswer, openaiStreamAnswer } from './openai-fake-answers.js';
import {
  newRequestId,
  type OpenAIErrorBodyOptions,
  type OpenAIErrorFaultOptions,
  type OpenAIErrorKind,
  openaiErrorBody,
  openaiErrorFault,
  openaiErrorStatus,
} from './openai-fake-errors.js';
import {
  openaiApiPath,
  type OpenAIFakeOptions,
  type OpenAIFakeSettings,
  openaiFakeModels,
  openaiRetiredModels,
} from './openai-fake-options.js';
import type { Fields, Job } from './openai-fake-rules.js';
import { ZeroWorkAnswers } from './zero-work-answers.js';
import { type OpenAIReply, triggeredOpenAIError, validateOpenAIJob } from './openai-fake-validate.js';

/**
 * A fake of the OpenAI Images API (docs/providers/openai.md §2, docs/providers/openai.md (testing notes)) on loopback. Adapters point
 * their baseURL at `fake.apiBaseURL` (`<url>/v1`). Validation follows docs/providers/openai.md §2.3–2.5 per
 * model (openai-fake-validate.ts); every point the spec marks (unverified) is an option
 * (openai-fake-options.ts), so tests can pin either behaviour. Azure-style paths
 * (`/openai/deployments/<name>/images/...`) are served too, for OpenAI-compatible configurations.
 */
export class OpenAIFake extends FakeUpstream {
  private readonly settings: OpenAIFakeSettings;
  private readonly image: Buffer;
  private readonly rateLimit: false | { limitRequests: number; resetRequests: string };
  private readonly zeroWork: ZeroWorkAnswers | undefined;
  private served = 0;
  private readonly reply: OpenAIReply = {
    error: (kind, options) => this.error(kind, options),
    invalid: (field, message, code) => this.invalid(field, message, code),
  };
  private readonly answers: OpenAIAnswerContext;

  constructor(options: OpenAIFakeOptions = {}) {
    super({ latencyMs: options.latencyMs ?? 0 });
    this.settings = {
      acceptKey: options.acceptKey ?? (() => true),
      apiKeyHeader: (options.apiKeyHeader ?? 'authorization').toLowerCase(),
      models: options.models ?? openaiFakeModels,
      retiredModels: options.retiredModels ?? openaiRetiredModels,
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
    this.zeroWork = options.zeroWork
      ? new ZeroWorkAnswers(options.zeroWork, this.image, options.uniqueImages ?? false)
      : undefined;
    this.answers = {
      image: this.image,
      headers: () => this.headers(),
      serveFile: (data) => this.serveFile(data),
      sendDone: this.settings.sendDone,
    };
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
    if (this.zeroWork) return this.zeroWorkAnswer(this.zeroWork, request);
    const fields = kind === 'generation' ? this.jsonFields(request) : this.multipartFields(request, kind);
    if (!('fields' in fields)) return fields;
    const job = validateOpenAIJob(this.reply, this.settings, kind, fields.fields, fields.files);
    if (!('family' in job)) return job;
    const refused = triggeredOpenAIError(this.reply, this.settings, job);
    if (refused) return refused;
    return job.stream ? openaiStreamAnswer(job, signal, this.answers) : openaiAnswer(job, this.answers);
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

  private zeroWorkAnswer(answers: ZeroWorkAnswers, request: RecordedRequest): FakeResponse {
    const asked = (request.json as { n?: unknown } | undefined)?.n;
    const n = typeof asked === 'number' && Number.isInteger(asked) && asked >= 1 && asked <= 10 ? asked : 1;
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-request-id': `req_zero_${++this.served}` },
      body: answers.next(n),
    };
  }
}

/** `const fake = await createOpenAIFake().start()`; close it in `t.teardown`. */
export function createOpenAIFake(options: OpenAIFakeOptions = {}): OpenAIFake {
  return new OpenAIFake(options);
}
