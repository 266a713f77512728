import type { AppliedSettings, GeneratedImage, ImageResult } from '@uig/core';
import type { UrlSigner } from '@uig/runtime';
import type { EventShape } from './image-event-stream.js';
import type { Base64Slots } from './json-with-base64.js';
import { base64Of, publicWarnings, type ResponseFormat } from './response-shapes.js';

/**
 * The answers of the OpenAI-compatible routes, complete by the openai SDK's types
 * (`ImagesResponse`, `ImageGenCompletedEvent`, ...), so typed clients can read every
 * field they declare (docs/api.md "Answer fields").
 */

const dallEName = /(^|\/)dall-e-[23]$/;

/**
 * These routes take no prompt_optimization field and answer no such object: the
 * rewritten prompt shows as revised_prompt, as OpenAI shows its own (docs/prompt-optimization.md).
 */
function rewrittenPrompt(result: ImageResult): string | undefined {
  const optimization = result.promptOptimization;
  return optimization && optimization.sent !== optimization.original ? optimization.sent : undefined;
}

/**
 * `response_format` when the request gives none: `b64_json`, as OpenAI answers for
 * every model it serves today; only the `dall-e-2` / `dall-e-3` names keep OpenAI's
 * old `url` default (by name, whether or not the vendor still serves them).
 */
export function openaiDefaultFormat(requested: string | undefined, resolved: string): ResponseFormat {
  return (requested !== undefined && dallEName.test(requested)) || dallEName.test(resolved)
    ? 'url'
    : 'b64_json';
}

const outputFormats: Record<string, string> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg', webp: 'webp' };

/** What the vendor said it applied (the OpenAI adapter keeps it as call metadata), else what the image shows. */
function appliedSettings(result: ImageResult): AppliedSettings {
  const vendor = result.metadata[0] ?? {};
  const text = (key: string) => (typeof vendor[key] === 'string' ? (vendor[key] as string) : undefined);
  const first = result.images[0];
  const size = text('size') ?? (first ? `${first.width}x${first.height}` : undefined);
  const outputFormat = text('output_format') ?? (first ? outputFormats[first.extension] : undefined);
  const background = text('background');
  const quality = text('quality');
  return {
    ...(background !== undefined ? { background } : {}),
    ...(outputFormat !== undefined ? { outputFormat } : {}),
    ...(quality !== undefined ? { quality } : {}),
    ...(size !== undefined ? { size } : {}),
  };
}

type Usage = ImageResult['usage'];

const tokenDetails = (details: NonNullable<Usage['inputTokensDetails']>) => ({
  text_tokens: details.textTokens ?? 0,
  image_tokens: details.imageTokens ?? 0,
});

/**
 * OpenAI's `usage`: the vendor's token counts and their split, passed through.
 * `undefined` when the vendor counted no tokens (never invented numbers). Without the
 * vendor's split, a generation's input is its prompt alone, so all input tokens are
 * text tokens; an edit's split is then unknown and left out.
 */
function openaiUsage(usage: Usage, kind: OpenAIKind) {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const inputDetails = usage.inputTokensDetails
    ? tokenDetails(usage.inputTokensDetails)
    : kind === 'image_generation'
      ? { text_tokens: input, image_tokens: 0 }
      : undefined;
  return {
    input_tokens: input,
    output_tokens: output,
    total_tokens: input + output,
    ...(inputDetails ? { input_tokens_details: inputDetails } : {}),
    ...(usage.outputTokensDetails ? { output_tokens_details: tokenDetails(usage.outputTokensDetails) } : {}),
  };
}

/** Which OpenAI route answered: its stream events are named after it. */
export type OpenAIKind = 'image_generation' | 'image_edit' | 'image_variation';

export function openaiResponse(
  result: ImageResult,
  format: ResponseFormat,
  signer: UrlSigner,
  kind: OpenAIKind,
  slots?: Base64Slots,
) {
  const applied = appliedSettings(result);
  const usage = openaiUsage(result.usage, kind);
  return {
    created: result.created,
    ...(applied.background !== undefined ? { background: applied.background } : {}),
    data: result.images.map((image) => {
      const revised = image.revisedPrompt ?? rewrittenPrompt(result);
      return {
        ...(format === 'b64_json'
          ? { b64_json: base64Of(image, slots) }
          : { url: image.directUrl ?? signer.sign(image.id) }),
        ...(revised !== undefined ? { revised_prompt: revised } : {}),
      };
    }),
    ...(applied.outputFormat !== undefined ? { output_format: applied.outputFormat } : {}),
    ...(applied.quality !== undefined ? { quality: applied.quality } : {}),
    ...(applied.size !== undefined ? { size: applied.size } : {}),
    ...(usage ? { usage } : {}),
    // Not in OpenAI's schema (clients ignore it): a setting was degraded, never silently.
    ...(result.warnings.length ? { warnings: publicWarnings(result.warnings) } : {}),
  };
}

/** Where the vendor named no value, `auto` (the model decided): the event types require each field. */
const eventSettings = (applied: AppliedSettings, image?: GeneratedImage) => ({
  background: applied.background ?? 'auto',
  output_format: applied.outputFormat ?? (image ? outputFormats[image.extension] : undefined) ?? 'png',
  quality: applied.quality ?? 'auto',
  size: applied.size ?? (image ? `${image.width}x${image.height}` : 'auto'),
});

const zeroUsage = {
  input_tokens: 0,
  output_tokens: 0,
  total_tokens: 0,
  input_tokens_details: { text_tokens: 0, image_tokens: 0 },
};

/**
 * OpenAI `stream: true` (docs/providers/openai.md §2.7): `<kind>.partial_image` events, then
 * one `<kind>.completed` per image with its base64 and usage (zero counts where the
 * model counts no tokens: the types require `usage`). When some of the split calls
 * failed, an `error` event after the completed images says so (the openai SDK raises
 * it once it has delivered them): never a silent short count.
 */
export function openaiEventShape(kind: 'image_generation' | 'image_edit'): EventShape {
  return {
    progress: (event) =>
      event.type === 'partial_image'
        ? {
            event: `${kind}.partial_image`,
            data: {
              type: `${kind}.partial_image`,
              b64_json: event.b64,
              partial_image_index: event.index,
              created_at: Math.floor(Date.now() / 1000),
              ...eventSettings({
                outputFormat: outputFormats[event.mimeType.split('/')[1] ?? ''] ?? 'png',
                ...event.settings,
              }),
            },
          }
        : undefined,
    completed: (result, requestId) => {
      const applied = appliedSettings(result);
      const usage = openaiUsage(result.usage, kind);
      const events = result.images.map((image, index) => ({
        event: `${kind}.completed`,
        data: {
          type: `${kind}.completed`,
          b64_json: base64Of(image),
          created_at: result.created,
          ...eventSettings(applied, image),
          // The request's usage goes with its first image, as the vendor streams it.
          usage:
            usage && index === 0
              ? { input_tokens_details: zeroUsage.input_tokens_details, ...usage }
              : zeroUsage,
        },
      }));
      const partial = result.warnings.find((warning) => warning.type === 'partial_failure');
      if (!partial) return events;
      return [
        ...events,
        {
          event: 'error',
          data: {
            error: { message: partial.message, type: 'server_error', code: 'partial_failure', param: 'n' },
            request_id: requestId,
          },
        },
      ];
    },
  };
}
