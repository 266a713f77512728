import type { GeneratedImage, ImageResult, Warning } from '@uig/core';
import type { EventShape } from './image-event-stream.js';
import type { Base64Slots } from './json-with-base64.js';
import type { UrlSigner } from '@uig/runtime';

/** How results are written back: OpenAI's ImagesResponse, or the richer native shape (docs/api.md). */
export type ResponseFormat = 'url' | 'b64_json';

/**
 * The image's base64: the vendor's own string when it sent one. With `slots` (the
 * routes' JsonWithBase64), a placeholder goes into the object and the string is
 * spliced into the serialized answer instead.
 */
export const base64Of = (image: GeneratedImage, slots?: Base64Slots) => {
  if (!slots) return image.base64 ?? image.data.toString('base64');
  return image.base64 !== undefined
    ? slots.slot(image.base64, image.data.length)
    : slots.slotBytes(image.data);
};

function nativePromptOptimization(result: ImageResult) {
  const optimization = result.promptOptimization;
  if (!optimization) return {};
  const { mode, original, sent, language, by } = optimization;
  return { prompt_optimization: { mode, original, sent, language, ...(by ? { by } : {}) } };
}

export const publicWarnings = (warnings: Warning[]) =>
  warnings.map(({ type, feature, message }) => ({ type, ...(feature ? { feature } : {}), message }));

export function nativeResponse(
  result: ImageResult,
  format: ResponseFormat,
  signer: UrlSigner,
  slots?: Base64Slots,
) {
  return {
    id: result.requestId,
    created: result.created,
    model: result.model,
    provider: result.provider,
    data: result.images.map((image) => ({
      id: image.id,
      // An image the store could not keep (warning not_stored) has no URL that would work.
      ...(image.stored ? { url: image.directUrl ?? signer.sign(image.id) } : {}),
      ...(format === 'b64_json' ? { b64_json: base64Of(image, slots) } : {}),
      mime_type: image.mimeType,
      width: image.width,
      height: image.height,
      ...(image.revisedPrompt !== undefined ? { revised_prompt: image.revisedPrompt } : {}),
    })),
    ...nativePromptOptimization(result),
    warnings: publicWarnings(result.warnings),
    usage: {
      images: result.usage.images,
      estimated_cost_usd: result.usage.estimatedCostUsd,
      ...(result.usage.inputTokens !== undefined ? { input_tokens: result.usage.inputTokens } : {}),
      ...(result.usage.outputTokens !== undefined ? { output_tokens: result.usage.outputTokens } : {}),
    },
  };
}

/** Native `stream: true`: progress and partial images as they come, then the usual answer. */
export function nativeEventShape(format: ResponseFormat, signer: UrlSigner): EventShape {
  return {
    progress: (event) =>
      event.type === 'partial_image'
        ? {
            event: 'partial_image',
            data: { index: event.index, b64_json: event.b64, mime_type: event.mimeType },
          }
        : {
            event: 'progress',
            data: {
              message: event.message,
              ...(event.progress !== undefined ? { progress: event.progress, total: event.total } : {}),
            },
          },
    completed: (result) => [{ event: 'completed', data: nativeResponse(result, format, signer) }],
  };
}
