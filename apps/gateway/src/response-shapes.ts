import type { GeneratedImage, ImageResult, Warning } from '@uig/core';
import type { UrlSigner } from './url-signer.js';

/** How results are written back: OpenAI's ImagesResponse, or the richer native shape (DESIGN §4). */
export type ResponseFormat = 'url' | 'b64_json';

const base64Of = (image: GeneratedImage) => image.base64 ?? image.data.toString('base64');

const publicWarnings = (warnings: Warning[]) => warnings.map(({ type, feature, message }) => ({ type, ...(feature ? { feature } : {}), message }));

export function openaiResponse(result: ImageResult, format: ResponseFormat, signer: UrlSigner) {
  return {
    created: result.created,
    data: result.images.map((image) => ({
      ...(format === 'b64_json' ? { b64_json: base64Of(image) } : { url: signer.sign(image.id) }),
      ...(image.revisedPrompt !== undefined ? { revised_prompt: image.revisedPrompt } : {}),
    })),
    ...(result.usage.inputTokens !== undefined || result.usage.outputTokens !== undefined
      ? {
          usage: {
            input_tokens: result.usage.inputTokens ?? 0,
            output_tokens: result.usage.outputTokens ?? 0,
            total_tokens: (result.usage.inputTokens ?? 0) + (result.usage.outputTokens ?? 0),
          },
        }
      : {}),
    // Not in OpenAI's schema (clients ignore it): a setting was degraded, never silently.
    ...(result.warnings.length ? { warnings: publicWarnings(result.warnings) } : {}),
  };
}

export function nativeResponse(result: ImageResult, format: ResponseFormat, signer: UrlSigner) {
  return {
    id: result.requestId,
    created: result.created,
    model: result.model,
    provider: result.provider,
    data: result.images.map((image) => ({
      id: image.id,
      url: signer.sign(image.id),
      ...(format === 'b64_json' ? { b64_json: base64Of(image) } : {}),
      mime_type: image.mimeType,
      width: image.width,
      height: image.height,
      ...(image.revisedPrompt !== undefined ? { revised_prompt: image.revisedPrompt } : {}),
    })),
    warnings: publicWarnings(result.warnings),
    usage: {
      images: result.usage.images,
      estimated_cost_usd: result.usage.estimatedCostUsd,
      ...(result.usage.inputTokens !== undefined ? { input_tokens: result.usage.inputTokens } : {}),
      ...(result.usage.outputTokens !== undefined ? { output_tokens: result.usage.outputTokens } : {}),
    },
  };
}
