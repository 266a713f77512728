import { solidPng } from '@uig/core';
import {
  FakeUpstream,
  type FakeResponse,
  type FaultRule,
  type RouteContext,
  type SseEvent,
} from '../fake-upstream.js';
import { tinyPng } from '../test-images.js';
import {
  type GeminiErrorKind,
  type GeminiErrorOptions,
  geminiError,
  geminiErrorFault,
} from './gemini-fake-errors.js';
import {
  geminiApiPath,
  type GeminiFakeCall,
  type GeminiFakeOptions,
  type GeminiFakeSettings,
  geminiNativeFakeModels,
  geminiRetiredModels,
  imagenFakeModels,
} from './gemini-fake-options.js';
import type { GeminiReply } from './gemini-fake-reply.js';
import { camelize, isObject, type JsonObject, streamChunks } from './gemini-fake-rules.js';
import { checkGenerateContent } from './gemini-generate-content.js';
import { imagenPredict } from './imagen-predict.js';

/**
 * A fake of the Gemini API (docs/providers/gemini.md §3, docs/providers/gemini.md (testing notes)) on loopback: `:generateContent`,
 * `:streamGenerateContent` and Imagen's `:predict`. Adapters point their baseURL at
 * `fake.apiBaseURL` (`<url>/v1beta`). Requests may use camelCase or snake_case
 * (docs/providers/gemini.md §3.3: proto JSON accepts both); answers are camelCase. Every point the spec marks
 * (unverified) is an option, so tests can pin either behaviour.
 */

export class GeminiFake extends FakeUpstream {
  readonly calls: GeminiFakeCall[] = [];
  private readonly settings: GeminiFakeSettings;
  private readonly reply: GeminiReply = {
    error: (kind, options) => this.error(kind, options),
    invalid: (message) => this.invalid(message),
    headers: () => this.headers(),
  };

  constructor(options: GeminiFakeOptions = {}) {
    super({ latencyMs: options.latencyMs ?? 0 });
    this.settings = {
      streamChunkDelayMs: options.streamChunkDelayMs ?? 0,
      acceptKey: options.acceptKey ?? ((key) => key.length > 0),
      disabledKeys: options.disabledKeys ?? [],
      models: options.models ?? [...geminiNativeFakeModels, ...imagenFakeModels],
      retiredModels: options.retiredModels ?? geminiRetiredModels,
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

    if (method === 'predict') return imagenPredict(this.reply, this.settings, model, body);
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

  /** docs/providers/gemini.md §3.3 request checks; returns the error to send, or the response body. */
  private generateContent(model: string, body: JsonObject): { refusal: FakeResponse } | { body: JsonObject } {
    const outcome = checkGenerateContent(this.reply, this.settings, model, body);
    // A Gemini body never has a top-level `status`; every refusal built by error() does.
    return 'status' in outcome ? { refusal: outcome } : { body: outcome };
  }
}

/** `const fake = await createGeminiFake().start()`; close it in `t.teardown`. */
export function createGeminiFake(options: GeminiFakeOptions = {}): GeminiFake {
  return new GeminiFake(options);
}
