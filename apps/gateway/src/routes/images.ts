import { nativeImageRequestSchema, openaiGenerationRequestSchema, type ClientIdentity } from '@uig/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fromNative, fromOpenAIGeneration, parseBody } from '../request-mapping.js';
import { nativeResponse, openaiResponse } from '../response-shapes.js';

/**
 * An AbortSignal that fires when the client goes away before its answer is written,
 * so upstream work (and WanX polling) stops too.
 */
export function requestSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

export function clientOf(request: FastifyRequest): ClientIdentity | undefined {
  return request.client;
}

export async function imageRoutes(app: FastifyInstance): Promise<void> {
  const { service, signer, resolver } = app.uig;

  app.post('/v1/images/generations', async (request, reply) => {
    const body = parseBody(openaiGenerationRequestSchema, request.body);
    const imageRequest = fromOpenAIGeneration(body);
    const client = clientOf(request);
    const result = await service.run(imageRequest, { requestId: request.id, signal: requestSignal(reply), ...(client ? { client } : {}) });
    return openaiResponse(result, body.response_format ?? 'url', signer);
  });

  app.post('/v1/images', async (request, reply) => {
    const body = parseBody(nativeImageRequestSchema, request.body);
    const signal = requestSignal(reply);
    const imageRequest = await fromNative(body, resolver, signal);
    const client = clientOf(request);
    const result = await service.run(imageRequest, { requestId: request.id, signal, ...(client ? { client } : {}) });
    return nativeResponse(result, body.response_format ?? 'url', signer);
  });
}
