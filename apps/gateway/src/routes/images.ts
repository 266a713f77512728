import { InvalidRequestError, nativeImageRequestSchema, UnsupportedCapabilityError, openaiEditFieldsSchema, openaiGenerationRequestSchema } from '@uig/core';
import type { FastifyInstance } from 'fastify';
import { readEditForm } from '../edit-form.js';
import { runImageRequest } from '../image-request-runner.js';
import { fromNative, fromOpenAIEdit, fromOpenAIGeneration, parseBody } from '../request-mapping.js';
import { nativeResponse, openaiResponse } from '../response-shapes.js';

/** `stream: true` is refused rather than answered without streaming: a setting is never dropped silently. */
function refuseStreaming(stream: boolean | undefined): void {
  if (stream) throw new UnsupportedCapabilityError('Streaming responses are not supported by this gateway; send stream: false (or leave it out).', { param: 'stream', code: 'STREAMING_NOT_SUPPORTED' });
}

/** The three image routes: OpenAI generations and edits, and the native JSON route. */
export async function imageRoutes(app: FastifyInstance): Promise<void> {
  const { signer, runtime } = app.uig;
  const inputImages = runtime.inputImages;
  const config = { access: 'client' } as const;

  app.post('/v1/images/generations', { config }, async (request, reply) => {
    const body = parseBody(openaiGenerationRequestSchema, request.body);
    refuseStreaming(body.stream);
    const result = await runImageRequest(request, reply, { model: body.model, n: body.n ?? 1, build: () => fromOpenAIGeneration(body) });
    return openaiResponse(result, body.response_format ?? 'url', signer);
  });

  app.post('/v1/images/edits', { config }, async (request, reply) => {
    const form = await readEditForm(request, runtime.config.bodyLimitBytes);
    const body = parseBody(openaiEditFieldsSchema, form.fields);
    refuseStreaming(body.stream);
    if (form.images.length === 0) throw new InvalidRequestError('image is required: upload the image to edit as a file.', { param: 'image', code: 'MISSING_PARAMETER' });
    // Real image bytes, format, byte size and pixel limits, before anything is counted or sent.
    const images = form.images.map((upload) => inputImages.check(upload.data, upload.param));
    const mask = form.mask ? inputImages.check(form.mask.data, 'mask') : undefined;
    const result = await runImageRequest(request, reply, { model: body.model, n: body.n ?? 1, build: () => fromOpenAIEdit(body, images, mask) });
    return openaiResponse(result, body.response_format ?? 'url', signer);
  });

  app.post('/v1/images', { config }, async (request, reply) => {
    const body = parseBody(nativeImageRequestSchema, request.body);
    refuseStreaming(body.stream);
    const result = await runImageRequest(request, reply, { model: body.model, n: body.n ?? 1, build: (signal) => fromNative(body, inputImages, signal) });
    return nativeResponse(result, body.response_format ?? 'url', signer);
  });
}
