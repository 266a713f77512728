import {
  InvalidRequestError,
  UnsupportedCapabilityError,
  type ImageKind,
  type ProviderCall,
  type Warning,
} from '@uig/core';
import { geminiModelTraits } from './gemini-models.js';
import { imagenOnlyOptions, nativeOnlyOptions, type GeminiOptions } from './gemini-options.js';

/**
 * Vendor rules the generic capability check cannot express, before any call. It
 * sees what was asked (core drops an unsupported seed later), so it can refuse what
 * the Gemini API would reject: a clear 400 here beats a vendor 400 after a round trip.
 */

/** Input types the Gemini API takes for inline images. */
const inputImageTypes = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif']);

export function checkGeminiCall(
  call: Omit<ProviderCall, 'credential' | 'signal' | 'requestId'>,
  kind: ImageKind,
  provider: string,
): Warning[] {
  const traits = geminiModelTraits(call.model, provider);
  const options = call.providerOptions as GeminiOptions;
  const param = (name: string) => `provider_options.${provider}.${name}`;
  const warnings: Warning[] = [];
  const ignore = (name: string, why: string) =>
    warnings.push({
      type: 'unsupported',
      feature: param(name),
      message: `${param(name)} was not applied: ${why}.`,
    });

  if (traits.family === 'imagen') {
    // docs/providers/gemini.md §3.2: the Gemini API refuses both for Imagen (the SDK throws client-side [G1]).
    if (call.seed !== undefined) {
      throw new UnsupportedCapabilityError(
        `${call.model} on the Gemini API does not take a seed; remove seed.`,
        { param: 'seed', code: 'SEED_NOT_SUPPORTED', provider },
      );
    }
    if (call.negativePrompt !== undefined) {
      throw new UnsupportedCapabilityError(
        `${call.model} on the Gemini API does not take a negative prompt; describe what you want instead.`,
        { param: 'negative_prompt', code: 'NEGATIVE_PROMPT_NOT_SUPPORTED', provider },
      );
    }
    if (kind === 'edit')
      throw new UnsupportedCapabilityError(`${call.model} cannot edit images on the Gemini API.`, {
        param: 'image',
        code: 'EDIT_NOT_SUPPORTED',
        provider,
      });
    if (options.output_compression_quality != null && options.output_mime_type !== 'image/jpeg') {
      throw new InvalidRequestError(
        `${param('output_compression_quality')} needs ${param('output_mime_type')} image/jpeg.`,
        { param: param('output_compression_quality'), code: 'INVALID_PROVIDER_OPTION', provider },
      );
    }
    for (const name of nativeOnlyOptions)
      if (options[name] != null)
        ignore(name, `${call.model} is an Imagen model; it is a Gemini-native option`);
  } else {
    for (const name of imagenOnlyOptions)
      if (options[name] != null)
        ignore(name, `it is an Imagen option, and ${call.model} is a native Gemini model`);
    for (const [index, image] of call.images.entries()) {
      if (!inputImageTypes.has(image.mimeType)) {
        throw new InvalidRequestError(
          `Input image ${index + 1} is ${image.mimeType}; ${call.model} takes PNG, JPEG, WebP, HEIC or HEIF.`,
          { param: 'image', code: 'UNSUPPORTED_IMAGE_TYPE', provider },
        );
      }
    }
  }

  const imageSize = options.image_size ?? undefined;
  if (imageSize !== undefined) {
    if (traits.imageSizes.length === 0) ignore('image_size', `${call.model} has one output size`);
    else if (!traits.imageSizes.includes(imageSize)) {
      throw new InvalidRequestError(
        `${param('image_size')} ${imageSize} is not available on ${call.model}; use ${traits.imageSizes.join(' or ')}.`,
        { param: param('image_size'), code: 'INVALID_PROVIDER_OPTION', provider },
      );
    } else {
      if (call.quality !== undefined)
        warnings.push({
          type: 'adjusted',
          feature: 'quality',
          message: `quality "${call.quality}" was not applied: ${param('image_size')} ${imageSize} sets the output size.`,
        });
      if (call.sizeTier !== undefined && call.sizeTier !== imageSize)
        warnings.push({
          type: 'adjusted',
          feature: 'size',
          message: `size asked for resolution ${call.sizeTier}; ${param('image_size')} ${imageSize} was sent instead.`,
        });
    }
  } else if (call.sizeTier !== undefined && call.quality !== undefined && traits.imageSizes.length > 0) {
    // The size already chose the resolution that quality would otherwise choose (hd → 2K).
    warnings.push({
      type: 'adjusted',
      feature: 'quality',
      message: `quality "${call.quality}" was not applied: size sets the output resolution (${call.sizeTier}).`,
    });
  }
  return warnings;
}
