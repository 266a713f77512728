import {
  ContentPolicyError,
  InvalidUpstreamResponseError,
  transportError,
  type ProviderResult,
} from '@uig/core';
import { stabilityError } from './stability-error.js';

/**
 * One synchronous Stability exchange (docs/providers/stability.md §8.1, §8.6): a multipart
 * POST with `accept: image/*`, answered with the image bytes and the `finish-reason` and
 * `seed` headers. `CONTENT_FILTERED` arrives as HTTP 200 with a blurred image: it is a
 * refusal, and the blurred image is never delivered.
 */

export interface StabilityExchange {
  provider: string;
  fetch: typeof globalThis.fetch;
  url: string;
  apiKey: string;
  form: FormData;
  signal: AbortSignal;
  /** Sent as `stability-client-id` (§8.1). */
  clientId?: string | undefined;
}

/** docs/providers/stability.md §8.6 JSON mode: `{image, seed, finish_reason}`. */
interface JsonAnswer {
  image?: unknown;
  seed?: unknown;
  finish_reason?: unknown;
}

export async function stabilityExchange(exchange: StabilityExchange): Promise<ProviderResult> {
  const { provider } = exchange;
  let response: Response;
  let bytes: Uint8Array;
  try {
    response = await exchange.fetch(exchange.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${exchange.apiKey}`,
        accept: 'image/*',
        ...(exchange.clientId ? { 'stability-client-id': exchange.clientId } : {}),
      },
      body: exchange.form,
      signal: exchange.signal,
    });
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw transportError(error, exchange.signal, provider);
  }
  const contentType = response.headers.get('content-type') ?? '';
  const vendorRequestId = response.headers.get('x-request-id') ?? undefined;
  const isJson = contentType.includes('json');
  let json: unknown;
  if (isJson) {
    try {
      json = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch {
      json = undefined;
    }
  }
  if (response.status < 200 || response.status > 299)
    throw stabilityError(response.status, response.headers, json, provider);

  let image: Uint8Array = bytes;
  let finishReason = response.headers.get('finish-reason') ?? undefined;
  let seed = response.headers.get('seed') ?? undefined;
  let mimeType = contentType.split(';')[0]!.trim();
  if (isJson) {
    // §8.6: in JSON mode the headers are absent and the body carries them.
    const answer = (json ?? {}) as JsonAnswer;
    if (typeof answer.image !== 'string')
      throw new InvalidUpstreamResponseError(`${provider} answered HTTP 200 without an image.`, {
        provider,
        vendorRequestId,
      });
    image = Buffer.from(answer.image, 'base64');
    finishReason = typeof answer.finish_reason === 'string' ? answer.finish_reason : finishReason;
    seed = answer.seed === undefined ? seed : String(answer.seed);
    mimeType = /type=(image\/[a-z]+)/.exec(contentType)?.[1] ?? 'image/png';
  }
  if (finishReason === 'CONTENT_FILTERED')
    throw new ContentPolicyError(
      `${provider} blurred the generated image: it violated the vendor's content moderation policy (finish-reason CONTENT_FILTERED).`,
      { provider, vendorCode: 'CONTENT_FILTERED', vendorRequestId },
    );
  if (image.length === 0 || !mimeType.startsWith('image/'))
    throw new InvalidUpstreamResponseError(`${provider} answered HTTP ${response.status} without an image.`, {
      provider,
      vendorRequestId,
    });
  if (finishReason !== undefined && finishReason !== 'SUCCESS')
    throw new InvalidUpstreamResponseError(`${provider} finished with ${finishReason}.`, {
      provider,
      vendorCode: finishReason,
      vendorRequestId,
    });
  return {
    images: [{ kind: 'bytes', data: image, mimeType }],
    warnings: [],
    ...(vendorRequestId ? { vendorRequestId } : {}),
    ...(seed !== undefined ? { metadata: { seed: Number(seed) } } : {}),
  };
}
