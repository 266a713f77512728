import {
  ContentPolicyError,
  InvalidUpstreamResponseError,
  type ProviderCall,
  type ProviderImage,
  type ProviderResult,
  type Warning,
} from '@uig/core';
import type { GeminiClient } from './gemini-client.js';
import { vendorMessage } from './gemini-error.js';
import { resolveImageSize } from './gemini-image-size.js';
import type { GeminiModelTraits } from './gemini-models.js';
import type { GeminiOptions } from './gemini-options.js';
import { predictResponseSchema } from './gemini-responses.js';

/** Imagen on the Gemini API (docs/providers/gemini.md §3.2): one `:predict` call returns up to four images. */

function predictRequest(call: ProviderCall, traits: GeminiModelTraits): Record<string, unknown> {
  const options = call.providerOptions as GeminiOptions;
  const sampleImageSize = resolveImageSize(call, traits);
  const outputOptions = {
    ...(options.output_mime_type ? { mimeType: options.output_mime_type } : {}),
    ...(options.output_compression_quality != null
      ? { compressionQuality: options.output_compression_quality }
      : {}),
  };
  return {
    instances: [{ prompt: call.prompt }],
    parameters: {
      // docs/providers/gemini.md §3.2: the default is 4 per one doc and 1 per others, so it is always sent.
      sampleCount: call.n,
      ...(call.aspectRatio ? { aspectRatio: call.aspectRatio } : {}),
      ...(options.person_generation ? { personGeneration: options.person_generation } : {}),
      ...(sampleImageSize ? { sampleImageSize } : {}),
      ...(Object.keys(outputOptions).length > 0 ? { outputOptions } : {}),
      ...(options.safety_setting ? { safetySetting: options.safety_setting } : {}),
      // docs/providers/gemini.md §3.2: without it, filtered images just go missing; with it, they say why.
      includeRaiReason: true,
      ...(options.include_safety_attributes ? { includeSafetyAttributes: true } : {}),
    },
  };
}

interface PredictResultContext {
  provider: string;
  n: number;
  /** The type asked for, used when a prediction names none. */
  mimeType?: string;
}

function predictResult(json: unknown, context: PredictResultContext): ProviderResult {
  const { provider, n } = context;
  const parsed = predictResponseSchema.safeParse(json);
  if (!parsed.success)
    throw new InvalidUpstreamResponseError(`${provider} answered a body that is not a predict response.`, {
      provider,
    });
  const predictions = (parsed.data.predictions ?? []).filter((prediction) => prediction != null);

  // docs/providers/gemini.md §3.2: only predictions with bytes are images; filtered slots and the trailing
  // "Positive Prompt" safety entry are skipped.
  const withBytes = predictions.filter((prediction) => prediction.bytesBase64Encoded);
  const images: ProviderImage[] = withBytes.slice(0, n).map((prediction) => ({
    kind: 'base64',
    data: prediction.bytesBase64Encoded!,
    mimeType: prediction.mimeType ?? context.mimeType ?? 'image/png',
  }));
  const reasons = predictions.flatMap((prediction) =>
    prediction.raiFilteredReason ? [vendorMessage(prediction.raiFilteredReason)] : [],
  );

  if (images.length === 0) {
    // docs/providers/gemini.md §3.2: every image filtered: a raiFilteredReason entry, or (unverified) a bare `{}`.
    const why = reasons[0] ? `: ${reasons[0]}` : ` (all ${n} were filtered).`;
    throw new ContentPolicyError(`${provider} returned no image${why}`, {
      provider,
      vendorCode: 'RAI_FILTERED',
    });
  }

  const warnings: Warning[] = [];
  if (images.length < n) {
    warnings.push({
      type: 'partial_failure',
      feature: 'n',
      message: `${provider} returned ${images.length} of ${n} images${reasons[0] ? `; the rest were filtered: ${reasons[0]}` : '; the rest were filtered.'}`,
    });
  }
  const promptSafety = predictions.find(
    (prediction) => prediction.contentType === 'Positive Prompt',
  )?.safetyAttributes;
  const imageSafety = withBytes.slice(0, n).map((prediction) => prediction.safetyAttributes ?? null);
  return {
    images,
    warnings,
    metadata: {
      ...(reasons.length > 0 ? { raiFilteredReasons: reasons } : {}),
      ...(imageSafety.some((attributes) => attributes !== null) ? { safetyAttributes: imageSafety } : {}),
      ...(promptSafety ? { promptSafetyAttributes: promptSafety } : {}),
    },
  };
}

export async function predictImages(
  client: GeminiClient,
  call: ProviderCall,
  traits: GeminiModelTraits,
): Promise<ProviderResult> {
  const json = await client.post(call, 'predict', predictRequest(call, traits));
  const mimeType = (call.providerOptions as GeminiOptions).output_mime_type ?? undefined;
  return predictResult(json, { provider: client.provider, n: call.n, ...(mimeType ? { mimeType } : {}) });
}
