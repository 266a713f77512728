import {
  InvalidRequestError,
  nativeImageRequestSchema,
  openaiEditFieldsSchema,
  openaiGenerationRequestSchema,
  openaiVariationFieldsSchema,
} from '@uig/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { prefersAsync, submitAsync } from '../async-submission.js';
import { readEditForm } from '../edit-form.js';
import { requestSigner } from '../request-signer.js';
import { streamImageRequest } from '../image-event-stream.js';
import { runImageRequest, type ImageRun } from '../image-request-runner.js';
import {
  fromNative,
  fromOpenAIEdit,
  fromOpenAIGeneration,
  fromOpenAIVariation,
  parseBody,
} from '../request-mapping.js';
import { JsonWithBase64 } from '../json-with-base64.js';
import { nativeEventShape, nativeResponse, type ResponseFormat } from '../response-shapes.js';
import { openaiDefaultFormat, openaiEventShape, openaiResponse } from '../openai-response.js';

/**
 * Answers with the JSON of `shape`, the large base64 strings spliced in rather than
 * serialized again (json-with-base64.ts): the same bytes `JSON.stringify` would give.
 */
function sendJson(reply: FastifyReply, shape: (slots: JsonWithBase64) => unknown) {
  const body = new JsonWithBase64();
  return reply.header('content-type', 'application/json; charset=utf-8').send(body.serialize(shape(body)));
}

/** The image routes: OpenAI generations, edits and variations, and the native JSON route. */
export async function imageRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app.uig;
  const inputImages = runtime.inputImages;
  const config = { access: 'client' } as const;
  /** The answer's format on the OpenAI routes: as asked, else OpenAI's default for the model (docs/api.md). */
  const openaiFormat = (requested: ResponseFormat | undefined, model: string | undefined) =>
    requested ?? openaiDefaultFormat(model, app.uig.registry.resolve(model).name);

  app.post('/v1/images/generations', { config }, async (request, reply) => {
    const body = parseBody(openaiGenerationRequestSchema, request.body);
    const format = openaiFormat(body.response_format, body.model);
    const run: ImageRun = {
      model: body.model,
      n: body.n ?? 1,
      build: () => fromOpenAIGeneration(body),
      // OpenAI's stream events carry base64 whatever response_format says.
      deliversBytes: body.stream === true || format === 'b64_json',
    };
    if (prefersAsync(request))
      return submitAsync(
        request,
        reply,
        { ...run, stream: body.stream },
        { shape: 'openai', responseFormat: format, kind: 'image_generation' },
      );
    if (body.stream) return streamImageRequest(request, reply, run, openaiEventShape('image_generation'));
    const result = await runImageRequest(request, reply, run);
    return sendJson(reply, (slots) =>
      openaiResponse(result, format, requestSigner(request), 'image_generation', slots),
    );
  });

  app.post('/v1/images/edits', { config }, async (request, reply) => {
    const form = await readEditForm(request, runtime.config.bodyLimitBytes);
    const body = parseBody(openaiEditFieldsSchema, form.fields);
    if (form.images.length === 0)
      throw new InvalidRequestError('image is required: upload the image to edit as a file.', {
        param: 'image',
        code: 'MISSING_PARAMETER',
      });
    // Real image bytes, format, byte size and pixel limits, before anything is counted or sent.
    const images = form.images.map((upload) => inputImages.check(upload.data, upload.param));
    const mask = form.mask ? inputImages.check(form.mask.data, 'mask') : undefined;
    const format = openaiFormat(body.response_format, body.model);
    const run: ImageRun = {
      model: body.model,
      n: body.n ?? 1,
      build: () => fromOpenAIEdit(body, images, mask),
      deliversBytes: body.stream === true || format === 'b64_json',
    };
    if (prefersAsync(request))
      return submitAsync(
        request,
        reply,
        { ...run, stream: body.stream },
        { shape: 'openai', responseFormat: format, kind: 'image_edit' },
      );
    if (body.stream) return streamImageRequest(request, reply, run, openaiEventShape('image_edit'));
    const result = await runImageRequest(request, reply, run);
    return sendJson(reply, (slots) =>
      openaiResponse(result, format, requestSigner(request), 'image_edit', slots),
    );
  });

  // OpenAI's variations (docs/api.md): one image, no prompt, for models whose capabilities
  // list `variation`; any other model is a 400 naming `model` and the models that can.
  app.post('/v1/images/variations', { config }, async (request, reply) => {
    const form = await readEditForm(request, runtime.config.bodyLimitBytes, 'variations');
    const body = parseBody(openaiVariationFieldsSchema, form.fields);
    const upload = form.images[0];
    if (!upload)
      throw new InvalidRequestError('image is required: upload the image to vary as a file.', {
        param: 'image',
        code: 'MISSING_PARAMETER',
      });
    // Real image bytes, format, byte size and pixel limits, before anything is counted or sent.
    const image = inputImages.check(upload.data, 'image');
    const target = app.uig.service.resolveVariation(body.model, request.client);
    const format = body.response_format ?? openaiDefaultFormat(body.model, target.name);
    const run: ImageRun = {
      model: target.name,
      n: body.n ?? 1,
      build: () => fromOpenAIVariation(body, image, target.name),
      deliversBytes: format === 'b64_json',
    };
    if (prefersAsync(request))
      return submitAsync(request, reply, run, {
        shape: 'openai',
        responseFormat: format,
        kind: 'image_variation',
      });
    const result = await runImageRequest(request, reply, run);
    return sendJson(reply, (slots) =>
      openaiResponse(result, format, requestSigner(request), 'image_variation', slots),
    );
  });

  app.post('/v1/images', { config }, async (request, reply) => {
    const body = parseBody(nativeImageRequestSchema, request.body);
    const run: ImageRun = {
      model: body.model,
      n: body.n ?? 1,
      build: (signal) => fromNative(body, inputImages, signal),
      deliversBytes: body.response_format === 'b64_json',
    };
    if (prefersAsync(request))
      return submitAsync(
        request,
        reply,
        { ...run, stream: body.stream },
        { shape: 'native', responseFormat: body.response_format ?? 'url' },
      );
    if (body.stream)
      return streamImageRequest(
        request,
        reply,
        run,
        nativeEventShape(body.response_format ?? 'url', requestSigner(request)),
      );
    const result = await runImageRequest(request, reply, run);
    return sendJson(reply, (slots) =>
      nativeResponse(result, body.response_format ?? 'url', requestSigner(request), slots),
    );
  });
}
