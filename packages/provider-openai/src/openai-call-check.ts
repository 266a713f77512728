import {
  InvalidRequestError,
  UnsupportedCapabilityError,
  type ImageKind,
  type InputImage,
  type ProviderCall,
  type Warning,
} from '@uig/core';
import { gptImage2MinPixels, isGptImage, type OpenAIModel } from './openai-models.js';
import type { OpenAIOptions } from './openai-options.js';

/**
 * The vendor rules core's generic capability check cannot express (
 * docs/providers/openai.md §2.3–2.4), checked before any call so a request OpenAI would refuse never costs
 * a round trip: which model takes which option, option combinations, the
 * gpt-image-2 pixel floor, and the input image and mask rules of edits.
 */

export type CheckedCall = Omit<ProviderCall, 'credential' | 'signal' | 'requestId'>;

const megabytes = (count: number) => count * 1024 * 1024;
const gptImageInputTypes = ['image/png', 'image/jpeg', 'image/webp'];

/** True when the call should stream: `stream`, or partial images asked for (docs/providers/openai.md §2.3). */
export function wantsStream(options: OpenAIOptions): boolean {
  return options.stream === true || (options.stream == null && (options.partial_images ?? 0) > 0);
}

export function checkOpenAICall(
  call: CheckedCall,
  kind: ImageKind,
  model: OpenAIModel,
  provider: string,
): Warning[] {
  const options = call.providerOptions as OpenAIOptions;
  const name = `${provider}/${model.descriptor.id}`;
  const refuse = (field: string, message: string) => {
    throw new InvalidRequestError(`provider_options.${provider}.${field}: ${message}`, {
      param: `provider_options.${provider}.${field}`,
      code: 'INVALID_PROVIDER_OPTION',
      provider,
    });
  };
  const given = (field: keyof OpenAIOptions) => options[field] !== undefined && options[field] !== null;

  // docs/providers/openai.md §2.3: style is dall-e-3's alone.
  if (given('style') && model.family !== 'dall-e-3')
    refuse('style', `${name} does not take style; only dall-e-3 models do (vivid or natural).`);

  if (!isGptImage(model.family)) {
    // docs/providers/openai.md §2.3: these are GPT-image settings; DALL·E rejects them.
    for (const field of [
      'background',
      'output_format',
      'output_compression',
      'moderation',
      'input_fidelity',
      'partial_images',
    ] as const) {
      if (given(field)) refuse(field, `${name} does not take ${field}; only GPT-image models do.`);
    }
    if (options.stream === true) refuse('stream', `${name} cannot stream; only GPT-image models do.`);
  } else {
    const format = options.output_format ?? 'png';
    // docs/providers/openai.md §2.3: transparency needs a format with an alpha channel.
    if (options.background === 'transparent' && format === 'jpeg') {
      refuse(
        'background',
        'background "transparent" needs output_format png or webp; jpeg has no alpha channel.',
      );
    }
    // docs/providers/openai.md §2.3: compression applies to jpeg and webp only.
    if (given('output_compression') && format === 'png') {
      refuse(
        'output_compression',
        'output_compression (0-100) applies to output_format jpeg or webp only; set one of them, or drop output_compression.',
      );
    }
    // docs/providers/openai.md §2.3 vs docs/providers/openai.md §2.4: moderation is a generations field, input_fidelity an edits one.
    if (given('moderation') && kind === 'edit')
      refuse('moderation', 'moderation (low or auto) applies to generations only, not edits.');
    if (given('input_fidelity')) {
      if (kind === 'generate')
        refuse('input_fidelity', 'input_fidelity (high or low) applies to edits only.');
      if (!model.inputFidelity)
        refuse(
          'input_fidelity',
          `${name} does not take input_fidelity (docs/providers/openai.md §2.4: not gpt-image-1-mini).`,
        );
    }
    if (options.stream === false && (options.partial_images ?? 0) > 0) {
      refuse('partial_images', 'partial_images needs streaming; remove stream: false or partial_images.');
    }
  }

  // docs/providers/openai.md §2.3: gpt-image-2 also has a pixel floor, which core's size rules cannot say.
  if (
    model.family === 'gpt-image-2' &&
    call.size &&
    call.size.width * call.size.height < gptImage2MinPixels
  ) {
    throw new InvalidRequestError(
      `size ${call.size.width}x${call.size.height} is too small for ${name}: width x height must be at least ${gptImage2MinPixels} px (e.g. 1024x640).`,
      { param: 'size', code: 'INVALID_SIZE', provider },
    );
  }

  if (kind === 'variation' && !model.descriptor.capabilities.variation)
    throw new UnsupportedCapabilityError(`${name} cannot make variations (docs/providers/openai.md §2.5).`, {
      param: 'model',
      code: 'VARIATION_NOT_SUPPORTED',
      provider,
    });
  if (kind !== 'generate') checkEditInputs(call.images, call.mask, model, name, provider);
  return [];
}

/**
 * docs/providers/openai.md §2.4: GPT image takes png/webp/jpeg under 50 MB each; dall-e-2 one square PNG
 * under 4 MB (§2.5: a variation's image too); a mask is a PNG under 4 MB the size of the first image.
 */
function checkEditInputs(
  images: InputImage[],
  mask: InputImage | undefined,
  model: OpenAIModel,
  name: string,
  provider: string,
): void {
  const gpt = isGptImage(model.family);
  images.forEach((image, index) => {
    const param = images.length > 1 ? `image.${index}` : 'image';
    const refuse = (message: string) => {
      throw new InvalidRequestError(`${param}: ${message}`, { param, code: 'INVALID_IMAGE', provider });
    };
    if (gpt) {
      if (!gptImageInputTypes.includes(image.mimeType))
        refuse(`${name} takes PNG, JPEG or WebP input images, not ${image.mimeType}.`);
      if (image.data.byteLength >= megabytes(50)) refuse(`${name} takes input images under 50 MB.`);
    } else {
      if (image.mimeType !== 'image/png') refuse(`${name} takes a PNG only, not ${image.mimeType}.`);
      if (image.width !== image.height)
        refuse(`${name} takes a square image only; this one is ${image.width}x${image.height}.`);
      if (image.data.byteLength >= megabytes(4)) refuse(`${name} takes an input image under 4 MB.`);
    }
  });
  if (!mask) return;
  const first = images[0];
  if (!first)
    throw new UnsupportedCapabilityError('mask needs an image to apply to; give image as well.', {
      param: 'mask',
      code: 'MISSING_PARAMETER',
      provider,
    });
  const refuseMask = (message: string) => {
    throw new InvalidRequestError(`mask: ${message}`, { param: 'mask', code: 'INVALID_MASK', provider });
  };
  if (mask.mimeType !== 'image/png')
    refuseMask(
      `the mask must be a PNG (its fully transparent pixels mark what to edit), not ${mask.mimeType}.`,
    );
  if (mask.width !== first.width || mask.height !== first.height) {
    refuseMask(
      `the mask is ${mask.width}x${mask.height} but the first image is ${first.width}x${first.height}; they must be the same size.`,
    );
  }
  if (mask.data.byteLength >= megabytes(4)) refuseMask('the mask must be under 4 MB.');
}
