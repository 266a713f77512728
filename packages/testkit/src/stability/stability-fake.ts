import { randomBytes } from 'node:crypto';
import { FakeUpstream, type FakeResponse, type RouteContext } from '../fake-upstream.js';
import { tinyJpeg } from '../tiny-jpeg.js';
import { tinyPng } from '../test-images.js';
import {
  stabilityErrorBody,
  stabilityErrorCatalog,
  stabilityErrorTrigger,
  stabilityFakeCredits,
  stabilityTriggers,
} from './stability-fake-catalog.js';
import {
  readStabilityForm,
  stabilityFormProblem,
  type StabilityFakeEndpoint,
} from './stability-fake-form.js';

/**
 * A fake of Stability AI's Stable Image v2beta (docs/providers/stability.md §8) on loopback:
 * multipart in, image bytes (or JSON with `accept: application/json`) out, with the
 * `finish-reason` and `seed` headers. Points the spec leaves (unverified) are options.
 */

export interface StabilityFakeOptions {
  latencyMs?: number;
  /** Only these keys authenticate (401 otherwise). Default: any Bearer key. */
  apiKeys?: readonly string[];
  /** Credits on the account; a call costing more answers 402 (unverified shape). Default: unlimited. */
  credits?: number;
  /** §8.7: 422 invalid_language for a prompt with non-ASCII letters. Default true. */
  rejectNonEnglish?: boolean;
  /** §8.7: requests per window before 429. Default 150 per 10 s. */
  rateLimit?: { requests: number; windowMs: number };
  /** §8.4 (unverified): the `model` values sd3 takes. Default the enum plus `sd3.5-flash`. */
  sd3Models?: readonly string[];
  /** The rate-limit clock. Default Date.now. */
  now?: () => number;
}

const maxBodyBytes = 10 * 1024 * 1024;
const paths: Record<string, StabilityFakeEndpoint> = {
  '/v2beta/stable-image/generate/ultra': 'ultra',
  '/v2beta/stable-image/generate/core': 'core',
  '/v2beta/stable-image/generate/sd3': 'sd3',
  '/v2beta/stable-image/edit/inpaint': 'inpaint',
};

export class StabilityFake extends FakeUpstream {
  credits: number;
  /** Every successful (or filtered) generation: endpoint, fields and credits. */
  readonly generations: Array<{
    endpoint: StabilityFakeEndpoint;
    fields: Record<string, string>;
    credits: number;
  }> = [];
  private readonly recent: number[] = [];
  private readonly settings: Required<Omit<StabilityFakeOptions, 'latencyMs' | 'apiKeys' | 'credits'>> &
    Pick<StabilityFakeOptions, 'apiKeys'>;

  constructor(options: StabilityFakeOptions = {}) {
    super({ latencyMs: options.latencyMs ?? 0 });
    this.credits = options.credits ?? Number.POSITIVE_INFINITY;
    this.settings = {
      ...(options.apiKeys ? { apiKeys: options.apiKeys } : {}),
      rejectNonEnglish: options.rejectNonEnglish ?? true,
      rateLimit: options.rateLimit ?? { requests: 150, windowMs: 10_000 },
      sd3Models: options.sd3Models ?? ['sd3.5-large', 'sd3.5-large-turbo', 'sd3.5-medium', 'sd3.5-flash'],
      now: options.now ?? Date.now,
    };
    for (const [path, endpoint] of Object.entries(paths))
      this.route('POST', path, (context) => this.generate(context, endpoint));
  }

  /** The base URL an adapter is configured with (`<url>/v2beta`). */
  get apiBaseURL(): string {
    return `${this.url}/v2beta`;
  }

  private error(name: string, headers: Record<string, string> = {}): FakeResponse {
    return { status: stabilityErrorCatalog[name]?.status ?? 400, json: stabilityErrorBody(name), headers };
  }

  private generate({ request }: RouteContext, endpoint: StabilityFakeEndpoint): FakeResponse {
    const header = request.headers.authorization;
    const key = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (!key || (this.settings.apiKeys && !this.settings.apiKeys.includes(key)))
      return this.error('unauthorized');
    const now = this.settings.now();
    const { requests, windowMs } = this.settings.rateLimit;
    while (this.recent.length > 0 && this.recent[0]! <= now - windowMs) this.recent.shift();
    if (this.recent.length >= requests) return this.error('rate_limit_exceeded');
    this.recent.push(now);
    if (request.body.length > maxBodyBytes) return this.error('payload_too_large');
    const contentType = String(request.headers['content-type'] ?? '');
    // §8.1: multipart/form-data is required, even with no file.
    if (!contentType.startsWith('multipart/form-data'))
      return {
        status: 400,
        json: stabilityErrorBody('bad_request', 'content-type: must be multipart/form-data'),
      };
    const form = readStabilityForm(request.body, contentType);
    if (!form)
      return { status: 400, json: stabilityErrorBody('bad_request', 'body: malformed multipart form') };
    const prompt = form.fields.prompt ?? '';
    const forced = stabilityErrorTrigger(prompt);
    if (forced) return this.error(forced);
    const problem = stabilityFormProblem(form, endpoint, this.settings.sd3Models);
    if (problem) return { status: 400, json: stabilityErrorBody('bad_request', problem) };
    if (this.settings.rejectNonEnglish && /[^\p{ASCII}]/u.test(prompt)) return this.error('invalid_language');
    const credits = stabilityFakeCredits(endpoint, form.fields.model);
    if (credits > this.credits) return this.error('payment_required');
    this.credits -= credits;
    this.generations.push({ endpoint, fields: form.fields, credits });
    const format = form.fields.output_format ?? 'png';
    const filtered = prompt.includes(stabilityTriggers.contentFiltered);
    const finishReason = filtered ? 'CONTENT_FILTERED' : 'SUCCESS';
    const seed = String(Number(form.fields.seed ?? 0) || randomBytes(4).readUInt32BE() % 4_294_967_294);
    // The fake has no WebP encoder: webp answers carry PNG bytes under the asked type.
    const image = format === 'jpeg' ? tinyJpeg() : tinyPng();
    const mimeType = `image/${format}`;
    const requestId = randomBytes(16).toString('hex');
    // §8.6: `accept: application/json` answers base64 in JSON, without the two headers.
    if (String(request.headers.accept ?? '').includes('application/json'))
      return {
        status: 200,
        headers: { 'content-type': `application/json; type=${mimeType}`, 'x-request-id': requestId },
        body: JSON.stringify({
          image: image.toString('base64'),
          seed: Number(seed),
          finish_reason: finishReason,
        }),
      };
    return {
      status: 200,
      headers: { 'content-type': mimeType, 'finish-reason': finishReason, seed, 'x-request-id': requestId },
      body: image,
    };
  }
}

/** `const fake = await createStabilityFake().start()`; close it in `t.teardown`. */
export function createStabilityFake(options: StabilityFakeOptions = {}): StabilityFake {
  return new StabilityFake(options);
}
