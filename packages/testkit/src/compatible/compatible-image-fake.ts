import { randomUUID } from 'node:crypto';
import { FakeUpstream, type FakeResponse, type RecordedRequest } from '../fake-upstream.js';
import { tinyPng } from '../test-images.js';

/**
 * The OpenAI-compatible image APIs of docs/providers/compatible-presets.md §12 on loopback:
 * the OpenAI shape with each vendor's deltas. xAI: no `size` ("Argument not supported:
 * size", its flat `{code, error}` body), `aspect_ratio`, JSON edits, `respect_moderation`.
 * Together: `width`/`height`, `response_format: "base64"`. Recraft: `n` 1–2, `style`.
 */
export type CompatibleVendor = 'xai' | 'together' | 'recraft';

export interface CompatibleImageFakeOptions {
  /** §12.2 (unverified): what Together does with `response_format: "b64_json"`. Default `error` (400). */
  togetherB64JsonFormat?: 'error' | 'accept';
  image?: Buffer;
  /**
   * §12.1: xAI answers `usage.cost_in_usd_ticks`, what the call cost (1 USD = 10^10 ticks, as
   * third-party clients read it; unverified). Per image; default $0.02 (the listed price).
   */
  xaiCostTicksPerImage?: number;
}

/** Put this in a prompt to get `respect_moderation: false` on every xAI image (§12.1). */
export const compatibleModerationTrigger = 'FAKE_COMPATIBLE_MODERATED';

export class CompatibleImageFake extends FakeUpstream {
  private readonly image: Buffer;

  constructor(
    readonly vendor: CompatibleVendor,
    private readonly options: CompatibleImageFakeOptions = {},
  ) {
    super();
    this.image = options.image ?? tinyPng();
    this.route('POST', '/v1/images/generations', ({ request }) => this.serve(request, 'generation'));
    if (vendor === 'xai')
      this.route('POST', '/v1/images/edits', ({ request }) => this.serve(request, 'edit'));
  }

  get apiBaseURL(): string {
    return `${this.url}/v1`;
  }

  private invalid(message: string): FakeResponse {
    // §12.1: xAI also answers its flat envelope; the others the OpenAI one.
    return this.vendor === 'xai'
      ? { status: 400, json: { code: 'Client specified an invalid argument', error: message } }
      : { status: 400, json: { error: { message, type: 'invalid_request_error' } } };
  }

  private serve(request: RecordedRequest, kind: 'generation' | 'edit'): FakeResponse {
    if (!/^Bearer \S+$/.test(String(request.headers.authorization ?? '')))
      return { status: 401, json: { error: { message: 'Missing or invalid API key.' } } };
    if (!String(request.headers['content-type'] ?? '').includes('application/json'))
      return this.invalid('The body must be JSON.');
    const body = request.json as Record<string, unknown> | undefined;
    if (!body || typeof body.prompt !== 'string' || body.prompt === '')
      return this.invalid('prompt is required.');
    const n = (body.n as number | undefined) ?? 1;
    let format: 'b64' | 'url' = body.response_format === 'url' ? 'url' : 'b64';
    if (this.vendor === 'xai') {
      if (body.size !== undefined) return this.invalid('Argument not supported: size');
      if (!Number.isInteger(n) || n < 1 || n > 10) return this.invalid('n must be 1-10.');
      if (kind === 'edit' && body.image === undefined && body.images === undefined)
        return this.invalid('image or images is required.');
    } else if (this.vendor === 'together') {
      if (body.size !== undefined) return this.invalid('Unknown parameter: size; use width and height.');
      if (body.response_format === 'b64_json' && this.options.togetherB64JsonFormat !== 'accept')
        return this.invalid("response_format must be 'base64' or 'url'.");
      format = body.response_format === 'url' ? 'url' : 'b64';
    } else if (!Number.isInteger(n) || n < 1 || n > 2) return this.invalid('n must be 1 or 2.');
    const moderated = this.vendor === 'xai' && body.prompt.includes(compatibleModerationTrigger);
    const data = Array.from({ length: n }, () => ({
      ...(format === 'url'
        ? { url: this.serveFile(this.image) }
        : { b64_json: this.image.toString('base64') }),
      ...(this.vendor === 'xai'
        ? { revised_prompt: `${body.prompt}, detailed`, respect_moderation: !moderated }
        : {}),
    }));
    const usage =
      this.vendor === 'xai'
        ? { usage: { cost_in_usd_ticks: n * (this.options.xaiCostTicksPerImage ?? 200_000_000) } }
        : {};
    return {
      status: 200,
      json: { created: Math.floor(Date.now() / 1000), id: randomUUID(), data, ...usage },
    };
  }
}

/** `const fake = await createCompatibleImageFake('xai').start()`; close it in `t.teardown`. */
export function createCompatibleImageFake(
  vendor: CompatibleVendor,
  options: CompatibleImageFakeOptions = {},
): CompatibleImageFake {
  return new CompatibleImageFake(vendor, options);
}
