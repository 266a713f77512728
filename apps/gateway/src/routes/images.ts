import { Readable } from 'node:stream';
import { InvalidRequestError } from '@uig/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { prefersAsync, submitAsync } from '../async-submission.js';
import { type FormRoute, readEditForm } from '../edit-form.js';
import { requestSigner } from '../request-signer.js';
import { streamImageRequest } from '../image-event-stream.js';
import { runImageRequest, type ImageRun } from '../image-request-runner.js';
import { fromNative, fromOpenAIEdit, fromOpenAIGeneration, fromOpenAIVariation } from '../request-mapping.js';
import { editBody, generationBody, nativeBody, variationBody } from '../request-bodies.js';
import { imageRouteSchema } from '../image-route-schema.js';
import { JsonWithBase64 } from '../json-with-base64.js';
import { nativeEventShape, nativeResponse, type ResponseFormat } from '../response-shapes.js';
import {
  openaiDefaultFormat,
  openaiEventShape,
  openaiResponse,
  type OpenAIKind,
} from '../openai-response.js';

/**
 * Answers with the JSON of `shape`, the large base64 strings spliced in rather than
 * serialized again (json-with-base64.ts): the same bytes `JSON.stringify` would give.
 * A vendor's own base64 text goes out as a slice of its answer, without a copy.
 */
function sendJson(reply: FastifyReply, shape: (slots: JsonWithBase64) => unknown) {
  const body = new JsonWithBase64();
  const answer = body.serialize(shape(body));
  reply.header('content-type', 'application/json; charset=utf-8');
  if (!Array.isArray(answer)) return reply.send(answer);
  // Chunks that include the vendor's own bytes: written as they are, with their length.
  let length = 0;
  for (const chunk of answer) length += chunk.length;
  return reply.header('content-length', length).send(Readable.from(answer, { objectMode: false }));
}

/**
 * The rest of an OpenAI route once its body is checked: a job when the client prefers async,
 * server-sent events when it asked to stream, else the JSON answer. The answer carries the
 * bytes when it is b64_json or streamed (OpenAI's stream events carry base64 whatever
 * response_format says).
 */
async function answerOpenAI(
  request: FastifyRequest,
  reply: FastifyReply,
  target: Omit<ImageRun, 'deliversBytes'>,
  format: ResponseFormat,
  kind: OpenAIKind,
  stream?: boolean,
) {
  const run: ImageRun = { ...target, deliversBytes: stream === true || format === 'b64_json' };
  if (prefersAsync(request))
    return submitAsync(request, reply, { ...run, stream }, { shape: 'openai', responseFormat: format, kind });
  // Variations have no stream field (their schema says streams: false).
  if (stream && kind !== 'image_variation')
    return streamImageRequest(request, reply, run, openaiEventShape(kind));
  const result = await runImageRequest(request, reply, run);
  return sendJson(reply, (slots) => openaiResponse(result, format, requestSigner(request), kind, slots));
}

/** The image routes: OpenAI generations, edits and variations, and the native JSON route. */
export async function imageRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { runtime } = app.uig;
  const inputImages = runtime.inputImages;
  const config = { access: 'client' } as const;
  /** The answer's format on the OpenAI routes: as asked, else OpenAI's default for the model (docs/api.md). */
  const openaiFormat = (requested: ResponseFormat | undefined, model: string | undefined) =>
    requested ?? openaiDefaultFormat(model, app.uig.registry.resolve(model).name);

  /** The multipart routes' body is read (files capped as they stream) before the schema checks it. */
  const readForm = (route: FormRoute) => async (request: FastifyRequest) => {
    request.body = await readEditForm(request, runtime.config.bodyLimitBytes, route);
  };

  const generations = imageRouteSchema({
    summary: 'Generate images (OpenAI-compatible)',
    description:
      "OpenAI's CreateImageRequest; the official openai client works with baseURL = <gateway>/v1. response_format url or b64_json for every provider.",
    operationId: 'createImage',
    body: generationBody,
    shape: 'openai',
  });
  app.post('/v1/images/generations', { config, schema: generations }, async (request, reply) => {
    const body = request.body;
    return answerOpenAI(
      request,
      reply,
      { model: body.model, n: body.n ?? 1, build: () => fromOpenAIGeneration(body) },
      openaiFormat(body.response_format, body.model),
      'image_generation',
      body.stream,
    );
  });

  const edits = imageRouteSchema({
    summary: 'Edit images (OpenAI-compatible multipart)',
    description:
      'multipart/form-data with image (or image[]) files, an optional mask file, and the text fields, as the OpenAI API takes them. For image URLs, data URIs or stored ids use POST /v1/images.',
    operationId: 'createImageEdit',
    body: editBody,
    consumes: ['multipart/form-data'],
    shape: 'openai',
  });
  app.post(
    '/v1/images/edits',
    {
      config,
      schema: edits,
      preValidation: readForm('edits'),
    },
    async (request, reply) => {
      const body = request.body;
      const uploads = [
        ...(body.image === undefined ? [] : Array.isArray(body.image) ? body.image : [body.image]),
        ...(body['image[]'] ?? []),
      ];
      if (uploads.length === 0)
        throw new InvalidRequestError('image is required: upload the image to edit as a file.', {
          param: 'image',
          code: 'MISSING_PARAMETER',
        });
      // Real image bytes, format, byte size and pixel limits, before anything is counted or sent.
      const images = uploads.map((upload) => inputImages.check(upload.data, upload.param));
      const mask = body.mask ? inputImages.check(body.mask.data, 'mask') : undefined;
      return answerOpenAI(
        request,
        reply,
        { model: body.model, n: body.n ?? 1, build: () => fromOpenAIEdit(body, images, mask) },
        openaiFormat(body.response_format, body.model),
        'image_edit',
        body.stream,
      );
    },
  );

  // OpenAI's variations (docs/api.md): one image, no prompt, for models whose capabilities
  // list `variation`; any other model is a 400 naming `model` and the models that can.
  const variations = imageRouteSchema({
    summary: 'Variations of an image (OpenAI-compatible multipart)',
    description:
      'multipart/form-data with one image file and model, n, size, response_format, user. For models whose capabilities list variation (the local models, OpenAI-type dall-e-2); any other model is a 400 naming model and the models that can. Without model: the default model if it can, else the first one that can.',
    operationId: 'createImageVariation',
    body: variationBody,
    consumes: ['multipart/form-data'],
    shape: 'openai',
    streams: false,
  });
  app.post(
    '/v1/images/variations',
    {
      config,
      schema: variations,
      preValidation: readForm('variations'),
    },
    async (request, reply) => {
      const body = request.body;
      // Real image bytes, format, byte size and pixel limits, before anything is counted or sent.
      const image = inputImages.check(body.image.data, 'image');
      const target = app.uig.service.resolveVariation(body.model, request.client);
      return answerOpenAI(
        request,
        reply,
        { model: target.name, n: body.n ?? 1, build: () => fromOpenAIVariation(body, image, target.name) },
        body.response_format ?? openaiDefaultFormat(body.model, target.name),
        'image_variation',
      );
    },
  );

  const native = imageRouteSchema({
    summary: 'Generate or edit images (native JSON)',
    description:
      'The OpenAI fields plus aspect_ratio, seed, negative_prompt, image and mask (data URI, https URL or stored id: giving image makes it an edit), provider_options and fallback_models. Answers with ids, sizes, warnings and usage.',
    operationId: 'createImageNative',
    body: nativeBody,
    shape: 'native',
  });
  app.post('/v1/images', { config, schema: native }, async (request, reply) => {
    const body = request.body;
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
