import { PassThrough } from 'node:stream';
import { isUigError, toUigError, type ImageResult, type ProgressEvent } from '@uig/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from './error-envelope.js';
import { runImageRequest, type ImageRun } from './image-request-runner.js';
import { recordOutcome } from './request-ledger.js';

/**
 * `stream: true`: the answer becomes server-sent events. The stream opens on the
 * first progress event (an OpenAI partial image, a WanX poll, ...), so a request
 * refused before any work starts (400, 401, 429 ...) still gets a plain JSON error
 * with its real status. Once open, a failure is an `error` event in the OpenAI
 * envelope, which the openai SDK turns into an APIError.
 */
interface SseEvent {
  event: string;
  data: unknown;
}

export interface EventShape {
  /** The event for a progress report, or undefined to skip it. */
  progress(event: ProgressEvent): SseEvent | undefined;
  /** The closing events; `requestId` for an error event among them. */
  completed(result: ImageResult, requestId: string): SseEvent[];
}

const encode = ({ event, data }: SseEvent) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export async function streamImageRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  run: ImageRun,
  shape: EventShape,
): Promise<FastifyReply> {
  const stream = new PassThrough();
  let open!: () => void;
  const opened = new Promise<'opened'>((resolve) => (open = () => resolve('opened')));
  const running = runImageRequest(request, reply, {
    ...run,
    onProgress: (progress) => {
      const event = shape.progress(progress);
      if (!event) return;
      stream.write(encode(event));
      open();
    },
  });
  const first = await Promise.race([
    opened,
    running.then(
      () => 'done' as const,
      () => 'failed' as const,
    ),
  ]);
  // Nothing was streamed yet: the error handler answers with the right status.
  if (first === 'failed') await running;
  // The ledger record is written before the last event, as before any other answer.
  void running.then(
    async (result) => {
      await recordOutcome(request, { status: 200 });
      for (const event of shape.completed(result, request.id)) stream.write(encode(event));
      stream.end();
    },
    async (error: unknown) => {
      const uigError = toUigError(error);
      if (!isUigError(error)) request.log.error({ err: error }, 'stream failed');
      await recordOutcome(request, { status: uigError.status, errorCode: uigError.code.toLowerCase() });
      stream.end(encode({ event: 'error', data: errorBody(uigError, request.id) }));
    },
  );
  return reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('x-accel-buffering', 'no')
    .send(stream);
}
