import type { ImageRequest, ImageResult, ProgressEvent, RateLimitStatus } from '@uig/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The part every image route shares, in docs/architecture.md's order once the body is valid:
 * resolve the model and check the key may use it (404/403, not counted) → client-key
 * limiter (429) → build the request (input images fetched and checked) → run it →
 * release the admission with the images actually delivered. The rate-limit headers
 * are set as soon as the limiter has spoken, so they are on errors too.
 */
export interface ImageRun {
  model: string | undefined;
  n: number;
  build(signal: AbortSignal): Promise<ImageRequest> | ImageRequest;
  /** Progress from the adapter (partial images, poll states), for streamed answers. */
  onProgress?: (event: ProgressEvent) => void;
  /** The answer carries the bytes (`b64_json`): images are delivered even if the store fails. */
  deliversBytes?: boolean;
}

export function setRateLimitHeaders(reply: FastifyReply, status: RateLimitStatus): void {
  if (status.limit === undefined || status.remaining === undefined) return;
  reply.header('x-ratelimit-limit-requests', String(status.limit));
  reply.header('x-ratelimit-remaining-requests', String(status.remaining));
}

/**
 * An AbortSignal that fires when the client goes away before its answer is written,
 * so upstream work (and WanX polling) stops too.
 */
function requestSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

export async function runImageRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  run: ImageRun,
): Promise<ImageResult> {
  const { service, runtime } = request.server.uig;
  const limiter = runtime.limiter;
  const client = request.client;
  request.tally?.askedFor({ model: run.model, n: run.n });
  const resolved = service.resolveFor(run.model, client);
  request.imageTarget = { provider: resolved.provider.id, model: resolved.name };
  let admission;
  try {
    admission = await limiter.admit(client, run.n);
  } catch (error) {
    setRateLimitHeaders(reply, await limiter.peek(client).catch(() => ({})));
    throw error;
  }
  setRateLimitHeaders(reply, admission);
  let delivered = 0;
  try {
    const signal = requestSignal(reply);
    // server.maxInflightImageBytes: what this request holds (the decoded images, then the
    // answer built from them) is given back once the answer is written or the client left.
    const bodyLease = runtime.inflightBytes.lease();
    reply.raw.once('close', () => bodyLease.release());
    const imageRequest = await run.build(signal);
    request.tally?.askedFor({
      kind: imageRequest.kind,
      ...(imageRequest.kind !== 'variation' ? { prompt: imageRequest.prompt } : {}),
    });
    const result = await service.run(imageRequest, {
      requestId: request.id,
      signal,
      bodyLease,
      ...(request.tally ? { tally: request.tally } : {}),
      ...(client ? { client } : {}),
      ...(run.onProgress ? { onProgress: run.onProgress } : {}),
      ...(run.deliversBytes ? { deliversBytes: true } : {}),
    });
    delivered = result.images.length;
    request.imageTarget = { provider: result.provider, model: result.model };
    return result;
  } finally {
    admission.release(delivered);
  }
}
