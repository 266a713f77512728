import { APIError } from 'openai';
import {
  InvalidUpstreamResponseError,
  transportError,
  type AppliedSettings,
  type ProgressEvent,
  type ProviderImage,
  type ProviderResult,
  type ProviderUsage,
  type UigError,
} from '@uig/core';
import { addUsage, appliedSettings, imageStreamEventSchema, mimeTypeOf } from './openai-responses.js';
import { openaiError } from './openai-error.js';

/**
 * Consumes a docs/providers/openai.md §2.7 stream: each `*.partial_image` event goes to `onProgress`, each
 * `*.completed` event is a final image (with its usage). The SDK turns an error
 * event (a `data` holding `error`) into an APIError, which openaiError maps; some
 * servers send `{"type":"error",...}` without that key, handled here.
 */

export interface StreamContext {
  provider: string;
  n: number;
  signal: AbortSignal;
  outputFormat?: string | null | undefined;
  vendorRequestId?: string | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
}

function progressSettings(event: {
  background?: string | null | undefined;
  output_format?: string | null | undefined;
  quality?: string | null | undefined;
  size?: string | null | undefined;
}): AppliedSettings {
  return {
    ...(event.background ? { background: event.background } : {}),
    ...(event.output_format ? { outputFormat: event.output_format } : {}),
    ...(event.quality ? { quality: event.quality } : {}),
    ...(event.size ? { size: event.size } : {}),
  };
}

export async function consumeImageStream(
  stream: AsyncIterable<unknown>,
  context: StreamContext,
): Promise<ProviderResult> {
  const { provider, signal } = context;
  const images: ProviderImage[] = [];
  let usage: ProviderUsage | undefined;
  let metadata: Record<string, unknown> | undefined;
  const extra = { provider, vendorRequestId: context.vendorRequestId };

  for await (const raw of stream) {
    const parsed = imageStreamEventSchema.safeParse(raw);
    if (!parsed.success) continue;
    const event = parsed.data;
    const type = event.type ?? '';
    if (type === 'error') {
      // Shaped like the Responses API's error event: code and message at the top level.
      const body =
        typeof raw === 'object' && raw !== null
          ? { ...(raw as Record<string, unknown>), type: undefined }
          : {};
      throw openaiError(new APIError(undefined, body, undefined, undefined), context);
    }
    const mimeType = mimeTypeOf(event.output_format ?? context.outputFormat);
    if (type.endsWith('.partial_image') && event.b64_json) {
      try {
        context.onProgress?.({
          type: 'partial_image',
          index: event.partial_image_index ?? 0,
          b64: event.b64_json,
          mimeType,
          settings: progressSettings(event),
        });
      } catch {
        // A listener that fails (a client gone) must not fail the generation.
      }
    } else if (type.endsWith('.completed') && event.b64_json) {
      images.push({ kind: 'base64', data: event.b64_json, mimeType });
      usage = addUsage(usage, event.usage);
      metadata ??= appliedSettings(event);
    }
  }
  // The SDK ends iteration quietly when its request is aborted; that is not a success.
  if (signal.aborted) throw transportError(new Error('stream aborted'), signal, provider) as UigError;
  if (images.length === 0)
    throw new InvalidUpstreamResponseError(`${provider} ended the stream without a completed image.`, extra);
  return {
    images,
    warnings:
      images.length < context.n
        ? [
            {
              type: 'partial_failure',
              feature: 'n',
              message: `${provider} streamed ${images.length} of the ${context.n} images asked for.`,
            },
          ]
        : [],
    ...(usage ? { usage } : {}),
    ...(context.vendorRequestId ? { vendorRequestId: context.vendorRequestId } : {}),
    ...(metadata ? { metadata } : {}),
  };
}
