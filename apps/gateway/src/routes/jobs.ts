import {
  fromJobError,
  InvalidRequestError,
  isFinished,
  NotFoundError,
  type JobEvent,
  type JobRecord,
} from '@uig/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PassThrough } from 'node:stream';
import { errorBody } from '../error-envelope.js';
import { jobBody, jobResultBody } from '../job-body.js';
import { requestSigner } from '../request-signer.js';
import { nativeEventShape } from '../response-shapes.js';

/**
 * The job routes (docs/api.md, "Jobs"): a job belongs to the client key that created it,
 * and any other key gets the same 404 as for an id that does not exist.
 * - `GET /v1/jobs/{id}`: the job, with `result` once it succeeded;
 * - `GET /v1/jobs/{id}/events`: server-sent events: `job` (the state now), then the
 *   native stream's `progress` and `partial_image`, then `completed` (the result),
 *   `failed` (the error envelope) or `cancelled`;
 * - `DELETE /v1/jobs/{id}`: cancels it (the vendor call stops, a pending vendor task is
 *   cancelled) and answers the job;
 * - `GET /v1/jobs`: the caller's recent jobs, newest first, without results.
 */
interface JobParams {
  id: string;
}

const encode = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export async function jobRoutes(app: FastifyInstance): Promise<void> {
  const { runtime, store } = app.uig;
  const jobs = runtime.jobs;
  const config = { access: 'client' } as const;
  const owner = (request: FastifyRequest) => request.client?.name ?? 'anonymous';

  const find = async (request: FastifyRequest<{ Params: JobParams }>): Promise<JobRecord> => {
    const job = await jobs.get(request.params.id);
    if (!job || job.client !== owner(request))
      throw new NotFoundError(`No job ${request.params.id} for this key.`, {
        code: 'JOB_NOT_FOUND',
        param: 'id',
      });
    return job;
  };

  app.get<{ Params: JobParams }>('/v1/jobs/:id', { config }, async (request) =>
    jobBody(await find(request), store, requestSigner(request)),
  );

  app.delete<{ Params: JobParams }>('/v1/jobs/:id', { config }, async (request) => {
    const job = await find(request);
    return jobBody((await jobs.cancel(job.id)) ?? job, store, requestSigner(request));
  });

  app.get<{ Querystring: { limit?: string } }>('/v1/jobs', { config }, async (request) => {
    const limit = request.query.limit === undefined ? 20 : Number(request.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new InvalidRequestError('limit must be a whole number from 1 to 100.', {
        param: 'limit',
        code: 'INVALID_PARAMETER',
      });
    const list = await jobs.list(owner(request), limit);
    const signer = requestSigner(request);
    return {
      object: 'list',
      data: await Promise.all(list.map((job) => jobBody(job, store, signer, { withResult: false }))),
    };
  });

  app.get<{ Params: JobParams }>('/v1/jobs/:id/events', { config }, async (request, reply) => {
    const job = await find(request);
    const signer = requestSigner(request);
    const stream = new PassThrough();
    const progressShape = nativeEventShape('url', signer);
    let ended = false;
    const end = async (final: JobRecord) => {
      if (ended) return;
      ended = true;
      stop();
      if (final.status === 'succeeded')
        stream.write(encode('completed', await jobResultBody(final, store, signer)));
      else if (final.status === 'failed' && final.error)
        stream.write(encode('failed', errorBody(fromJobError(final.error), final.id)));
      else stream.write(encode('cancelled', await jobBody(final, store, signer)));
      stream.end();
    };
    const listener = (event: JobEvent) => {
      if (ended) return;
      if (event.type === 'progress') {
        const shaped = progressShape.progress(event.event);
        if (shaped) stream.write(encode(shaped.event, shaped.data));
      } else if (isFinished(event.job)) void end(event.job);
    };
    const stop = jobs.subscribe(job.id, listener);
    request.raw.on('close', () => {
      ended = true;
      stop();
    });
    // A late subscriber first gets the state as it is now.
    stream.write(encode('job', await jobBody(job, store, signer, { withResult: false })));
    const current = (await jobs.get(job.id)) ?? job;
    if (isFinished(current)) await end(current);
    reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no');
    return stream;
  });
}
