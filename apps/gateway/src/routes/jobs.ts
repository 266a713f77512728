import { fromJobError, isFinished, NotFoundError, type JobEvent, type JobRecord } from '@uig/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { errorBody } from '../error-envelope.js';
import { errorResponses } from '../error-responses.js';
import { jobBody, jobResultBody } from '../job-body.js';
import { jobEventsDescription, jobListSchema, jobSchema } from '../job-schemas.js';
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
const jobParams = z.object({ id: z.string().describe('The job id (job_...), from the 202 answer.') });

const jobAnswer = {
  200: { description: 'The job.', content: { 'application/json': { schema: jobSchema } } },
  ...errorResponses([401, 404], { 404: 'No such job for this key (job_not_found).' }),
};

const listQuery = z.object({
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 100' })
    .int({ error: 'must be a whole number from 1 to 100' })
    .min(1, { error: 'must be a whole number from 1 to 100' })
    .max(100, { error: 'must be a whole number from 1 to 100' })
    .default(20)
    .describe('Jobs to list, 1-100.'),
});

const encode = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export async function jobRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { runtime, store } = app.uig;
  const jobs = runtime.jobs;
  const config = { access: 'client' } as const;
  const owner = (request: FastifyRequest) => request.client?.name ?? 'anonymous';

  const find = async (id: string, request: FastifyRequest): Promise<JobRecord> => {
    const job = await jobs.get(id);
    if (!job || job.client !== owner(request))
      throw new NotFoundError(`No job ${id} for this key.`, {
        code: 'JOB_NOT_FOUND',
        param: 'id',
      });
    return job;
  };

  const tags = ['jobs'];
  app.get(
    '/v1/jobs/:id',
    {
      config,
      schema: {
        summary: 'A job: its state, progress, and result once it succeeded',
        operationId: 'getJob',
        tags,
        params: jobParams,
        response: jobAnswer,
      },
    },
    async (request) => jobBody(await find(request.params.id, request), store, requestSigner(request)),
  );

  app.delete(
    '/v1/jobs/:id',
    {
      config,
      schema: {
        summary: 'Cancel a job',
        description:
          'Stops the work wherever it runs (a pending vendor task is cancelled at the vendor); waits up to 5 s for the worker to confirm and answers the job as it then stands.',
        operationId: 'cancelJob',
        tags,
        params: jobParams,
        response: jobAnswer,
      },
    },
    async (request) => {
      const job = await find(request.params.id, request);
      return jobBody((await jobs.cancel(job.id)) ?? job, store, requestSigner(request));
    },
  );

  app.get(
    '/v1/jobs',
    {
      config,
      schema: {
        summary: "The key's recent jobs, newest first",
        operationId: 'listJobs',
        tags,
        querystring: listQuery,
        response: {
          200: {
            description: 'The jobs, without results.',
            content: { 'application/json': { schema: jobListSchema } },
          },
          ...errorResponses([400, 401]),
        },
      },
    },
    async (request) => {
      const list = await jobs.list(owner(request), request.query.limit);
      const signer = requestSigner(request);
      return {
        object: 'list' as const,
        data: await Promise.all(list.map((job) => jobBody(job, store, signer, { withResult: false }))),
      };
    },
  );

  const eventsSchema = {
    summary: "A job's server-sent events",
    operationId: 'jobEvents',
    tags,
    params: jobParams,
    response: {
      200: {
        description: 'The events, until the job ends.',
        content: { 'text/event-stream': { schema: z.string().describe(jobEventsDescription) } },
      },
      ...errorResponses([401, 404], { 404: 'No such job for this key (job_not_found).' }),
    },
  };
  app.get('/v1/jobs/:id/events', { config, schema: eventsSchema }, async (request, reply) => {
    const job = await find(request.params.id, request);
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
    // The stream is not JSON: sent as it is, past the JSON serializer's types.
    return (reply as FastifyReply)
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-accel-buffering', 'no')
      .send(stream);
  });
}
