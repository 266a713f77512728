import { RequestTally } from '@uig/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * One ledger record per image request (docs/operations.md, "The usage ledger"): every
 * POST to an image route that got past authentication — a success, a refusal
 * (validation, capability, limits), a vendor failure, a client abort — is recorded
 * once, and the record is written (awaited) before the answer leaves, so a client that
 * has its answer can read its line. A `202` (job) is recorded by the job when it ends;
 * a stream that opened is recorded by the stream before its last event.
 */
declare module 'fastify' {
  interface FastifyRequest {
    /** The image request's ledger record in the making; undefined on other routes and once recorded. */
    tally: RequestTally | undefined;
    /** The envelope's `code` of an error answer (set by the error handler). */
    errorCode: string | undefined;
  }
}

/** Image routes are the POSTs under /v1/images (generations, edits, variations, native). */
const isImageRoute = (request: FastifyRequest) =>
  request.method === 'POST' && (request.routeOptions.url ?? '').startsWith('/v1/images');

/** Client closed the connection before its answer (nginx's convention). */
const clientClosed = 499;

/** Writes the request's record once; later calls do nothing. */
export async function recordOutcome(
  request: FastifyRequest,
  outcome: { status: number; errorCode?: string | undefined },
): Promise<void> {
  const tally = request.tally;
  if (!tally) return;
  request.tally = undefined;
  await request.server.uig.runtime.recordRequest(tally.finish(outcome, Date.now()));
}

function outcomeOf(request: FastifyRequest, reply: FastifyReply) {
  if (reply.raw.destroyed && !reply.raw.writableFinished)
    return { status: clientClosed, errorCode: 'request_aborted' };
  return {
    status: reply.statusCode,
    ...(reply.statusCode >= 400 ? { errorCode: request.errorCode ?? 'internal_error' } : {}),
  };
}

/** Registered after the authentication hook: a request refused there (401) is not recorded. */
export function registerRequestLedger(app: FastifyInstance): void {
  app.decorateRequest('tally', undefined);
  app.decorateRequest('errorCode', undefined);
  app.addHook('onRequest', async (request) => {
    if (!isImageRoute(request)) return;
    request.tally = new RequestTally({
      requestId: request.id,
      client: request.client?.name ?? 'anonymous',
      route: request.routeOptions.url ?? '',
      started: Date.now(),
    });
  });
  app.addHook('onSend', async (request, reply) => {
    if (!request.tally) return;
    // Accepted as a job: the job records itself when it ends.
    if (reply.statusCode === 202) {
      request.tally = undefined;
      return;
    }
    // An open event stream is recorded by the stream, before its last event.
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/event-stream')) return;
    await recordOutcome(request, outcomeOf(request, reply));
  });
  // The client went away and no answer was sent at all.
  app.addHook('onResponse', async (request, reply) => {
    if (request.tally) await recordOutcome(request, outcomeOf(request, reply));
  });
}
