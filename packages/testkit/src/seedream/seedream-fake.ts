import { randomBytes, randomUUID } from 'node:crypto';
import { FakeUpstream, type FakeResponse, type RouteContext, type SseEvent } from '../fake-upstream.js';
import { tinyJpeg } from '../tiny-jpeg.js';
import { tinyPng } from '../test-images.js';
import {
  seedreamErrorBody,
  seedreamErrorCatalog,
  seedreamTrigger,
  seedreamTriggers,
} from './seedream-fake-catalog.js';
import { seedreamBodyProblem, seedreamModelId } from './seedream-fake-checks.js';

/**
 * A fake of Ark's image generation (docs/providers/seedream.md §11) on loopback:
 * `POST /api/v3/images/generations`, synchronous JSON or server-sent events, signed-looking
 * result URLs that expire. Points the vendor leaves (unverified) are options.
 */

export interface SeedreamFakeOptions {
  latencyMs?: number;
  /** Only these keys authenticate (401 AuthenticationError otherwise). Default: any Bearer key. */
  apiKeys?: readonly string[];
  /** §11.3 image sets: how many images `auto` returns (capped by max_images). Default: max_images. */
  setSize?: number;
  /** §11.4: result URLs expire after this long (403). Default 24 h. */
  urlTtlMs?: number;
  /** §11.4 (unverified for non-stream): a blocked image of a set is a `data[]` entry with `error` (default) or left out. */
  blockedInData?: 'error-entry' | 'omitted';
  /** Output tokens reported per image (§11.4 example: 16280 for 1760x2368). Default 16384. */
  tokensPerImage?: number;
  now?: () => number;
}

export interface SeedreamFakeCall {
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
}

export class SeedreamFake extends FakeUpstream {
  readonly calls: SeedreamFakeCall[] = [];
  private readonly results = new Map<string, { data: Buffer; mimeType: string; expiresAt: number }>();
  private readonly settings: Required<Omit<SeedreamFakeOptions, 'latencyMs' | 'apiKeys' | 'setSize'>> &
    Pick<SeedreamFakeOptions, 'apiKeys' | 'setSize'>;

  constructor(options: SeedreamFakeOptions = {}) {
    super({ latencyMs: options.latencyMs ?? 0 });
    this.settings = {
      ...(options.apiKeys ? { apiKeys: options.apiKeys } : {}),
      ...(options.setSize !== undefined ? { setSize: options.setSize } : {}),
      urlTtlMs: options.urlTtlMs ?? 86_400_000,
      blockedInData: options.blockedInData ?? 'error-entry',
      tokensPerImage: options.tokensPerImage ?? 16_384,
      now: options.now ?? Date.now,
    };
    this.route('POST', '/api/v3/images/generations', (context) => this.generate(context));
    this.route('GET', '/tos/:name', ({ params }) => {
      const file = this.results.get(params.name!);
      if (!file) return { status: 404, body: 'NoSuchKey' };
      if (this.settings.now() > file.expiresAt)
        return { status: 403, body: 'AccessDenied: Request has expired' };
      return { status: 200, headers: { 'content-type': file.mimeType }, body: file.data };
    });
  }

  /** The base URL an adapter is configured with (`<url>/api/v3`). */
  get apiBaseURL(): string {
    return `${this.url}/api/v3`;
  }

  private error(code: string, message?: string, status?: number): FakeResponse {
    return {
      status: status ?? seedreamErrorCatalog[code]?.status ?? 400,
      json: seedreamErrorBody(code, message),
    };
  }

  private store(format: string): string {
    const name = `${randomUUID()}.${format === 'png' ? 'png' : 'jpeg'}`;
    const data = format === 'png' ? tinyPng() : tinyJpeg();
    this.results.set(name, {
      data,
      mimeType: format === 'png' ? 'image/png' : 'image/jpeg',
      expiresAt: this.settings.now() + this.settings.urlTtlMs,
    });
    return `${this.url}/tos/${name}?X-Tos-Algorithm=TOS4-HMAC-SHA256&X-Tos-Expires=${Math.round(this.settings.urlTtlMs / 1000)}`;
  }

  private generate({ request }: RouteContext): FakeResponse {
    const header = request.headers.authorization;
    const key = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (!key || (this.settings.apiKeys && !this.settings.apiKeys.includes(key)))
      return this.error('AuthenticationError');
    const body = request.json;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return this.error('InvalidParameter', 'The request body is not valid JSON.');
    const fields = body as Record<string, unknown>;
    const model = seedreamModelId(fields.model);
    if (!model) return this.error('InvalidEndpointOrModel.NotFound');
    const prompt = typeof fields.prompt === 'string' ? fields.prompt : '';
    const forced = seedreamTrigger('ERROR', prompt);
    if (forced) return this.error(forced);
    const forced200 = seedreamTrigger('200', prompt);
    if (forced200) return this.error(forced200, undefined, 200);
    const checked = seedreamBodyProblem(fields, model);
    // §11.5: validation errors come back as JSON even with stream: true.
    if ('problem' in checked) return this.error('InvalidParameter', checked.problem);
    const stream = fields.stream === true;
    this.calls.push({ body: fields, model, stream });
    const auto = fields.sequential_image_generation === 'auto';
    const maxImages =
      (fields.sequential_image_generation_options as { max_images?: number } | undefined)?.max_images ?? 15;
    const count = auto ? Math.min(this.settings.setSize ?? maxImages, maxImages) : 1;
    const blocked = (index: number) =>
      prompt.includes(seedreamTriggers.allImagesBlocked) ||
      (prompt.includes(seedreamTriggers.lastImageBlocked) && index === count - 1);
    const format = typeof fields.output_format === 'string' ? fields.output_format : 'jpeg';
    const base64 = fields.response_format === 'b64_json';
    const created = Math.floor(Date.now() / 1000);
    const items = Array.from({ length: count }, (_, index) => {
      if (blocked(index))
        return {
          index,
          error: seedreamErrorBody('OutputImageSensitiveContentDetected').error as Record<string, unknown>,
        };
      const url = this.store(format);
      const file = this.results.get(new URL(url).pathname.slice('/tos/'.length))!;
      return {
        index,
        ...(base64 ? { b64_json: file.data.toString('base64') } : { url }),
        size: checked.size,
      };
    });
    const generated = items.filter((item) => !('error' in item)).length;
    const usage = {
      generated_images: generated,
      output_tokens: generated * this.settings.tokensPerImage,
      total_tokens: generated * this.settings.tokensPerImage,
    };
    const requestId = randomBytes(16).toString('hex');
    if (stream)
      return {
        status: 200,
        headers: { 'x-request-id': requestId },
        sse: this.events(items, fields, created, usage),
      };
    if (!auto && generated === 0) return this.error('OutputImageSensitiveContentDetected');
    const data = items.flatMap(({ index: _index, ...item }) =>
      'error' in item && this.settings.blockedInData === 'omitted' ? [] : [item],
    );
    return {
      status: 200,
      headers: { 'x-request-id': requestId },
      json: { model: fields.model, created, data, usage },
    };
  }

  /** §11.5: one event per image, then `completed`, then `[DONE]`. */
  private *events(
    items: Array<Record<string, unknown> & { index: number }>,
    fields: Record<string, unknown>,
    created: number,
    usage: Record<string, number>,
  ): Iterable<SseEvent> {
    const event = (type: string, data: Record<string, unknown>): SseEvent => ({
      event: type,
      data: JSON.stringify({ type, model: fields.model, created, ...data }),
    });
    for (const { index, ...item } of items) {
      yield 'error' in item
        ? event('image_generation.partial_failed', { image_index: index, error: item.error })
        : event('image_generation.partial_succeeded', { image_index: index, ...item });
    }
    yield event('image_generation.completed', { usage });
    yield { data: '[DONE]' };
  }
}

/** `const fake = await createSeedreamFake().start()`; close it in `t.teardown`. */
export function createSeedreamFake(options: SeedreamFakeOptions = {}): SeedreamFake {
  return new SeedreamFake(options);
}
