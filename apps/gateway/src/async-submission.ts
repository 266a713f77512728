import { InvalidRequestError, submitJob } from '@uig/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setRateLimitHeaders, type ImageRun } from './image-request-runner.js';
import { jobBody, type JobOrigin } from './job-body.js';
import { requestSigner } from './request-signer.js';

/**
 * `Prefer: respond-async` (RFC 7240) on an image route: the same checks as the
 * synchronous call up to the vendor call (body, model, key's allowlist, rpm and images
 * per day, input images fetched and checked), then a job instead of the wait:
 * `202 Accepted`, `Location: /v1/jobs/{id}`, `Preference-Applied: respond-async`.
 */
export function prefersAsync(request: FastifyRequest): boolean {
  const header = request.headers.prefer;
  const values = Array.isArray(header) ? header : header ? [header] : [];
  return values.some((value) =>
    value.split(',').some((preference) => preference.split(';')[0]!.trim().toLowerCase() === 'respond-async'),
  );
}

export async function submitAsync(
  request: FastifyRequest,
  reply: FastifyReply,
  run: ImageRun & { stream?: boolean | null | undefined },
  origin: JobOrigin,
): Promise<FastifyReply> {
  if (run.stream)
    throw new InvalidRequestError(
      'stream: true and Prefer: respond-async do not go together: drop stream and follow the job at GET /v1/jobs/{id}/events.',
      { param: 'stream', code: 'INVALID_PARAMETER' },
    );
  const { service, runtime } = request.server.uig;
  const client = request.client;
  request.tally?.askedFor({ model: run.model, n: run.n });
  const resolved = service.resolveFor(run.model, client);
  request.imageTarget = { provider: resolved.provider.id, model: resolved.name };
  const controller = new AbortController();
  const imageRequest = await run.build(controller.signal);
  request.tally?.askedFor({
    kind: imageRequest.kind,
    ...(imageRequest.kind !== 'variation' ? { prompt: imageRequest.prompt } : {}),
  });
  let job;
  try {
    job = await submitJob({
      queue: runtime.jobs,
      limiter: runtime.limiter,
      store: runtime.store,
      client,
      request: imageRequest,
      // The job's ledger record names the route it came in on.
      origin: { ...origin, route: request.routeOptions.url },
    });
  } catch (error) {
    setRateLimitHeaders(reply, await runtime.limiter.peek(client).catch(() => ({})));
    throw error;
  }
  setRateLimitHeaders(reply, await runtime.limiter.peek(client).catch(() => ({})));
  return reply
    .status(202)
    .header('location', `/v1/jobs/${job.id}`)
    .header('preference-applied', 'respond-async')
    .send(await jobBody(job, runtime.store, requestSigner(request)));
}
