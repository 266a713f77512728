import { InvalidRequestError, type ProviderCall, type Warning } from '@uig/core';
import { findStabilityModel, type StabilityEndpoint, type StabilityModel } from './stability-models.js';
import type { StabilityOptions } from './stability-options.js';

/**
 * Vendor rules the generic capability check cannot express (docs/providers/stability.md
 * §8.2–§8.5): which option each endpoint takes, image-to-image needing `strength`, the
 * inpaint image's pixel bounds. Options an endpoint lacks are not sent, with a warning.
 */

export type CheckedCall = Omit<ProviderCall, 'credential' | 'signal' | 'requestId'>;

const optionEndpoints: Record<keyof StabilityOptions, readonly StabilityEndpoint[]> = {
  output_format: ['ultra', 'core', 'sd3', 'inpaint'],
  style_preset: ['ultra', 'core', 'sd3', 'inpaint'],
  strength: ['ultra', 'sd3'],
  cfg_scale: ['sd3'],
  grow_mask: ['inpaint'],
};

/** The strength sent when an image-to-image call names none (the vendor requires one). */
const defaultStrength = 0.5;

export interface StabilityCheck {
  model: StabilityModel;
  options: StabilityOptions;
  /** Send the aspect ratio (text to image only). */
  sendAspectRatio: boolean;
  warnings: Warning[];
}

export function checkStabilityCall(
  call: CheckedCall,
  kind: 'generate' | 'edit',
  provider: string,
): StabilityCheck {
  const model = findStabilityModel(call.model);
  if (!model)
    throw new InvalidRequestError(`${provider} has no model ${call.model}.`, { param: 'model', provider });
  const given = call.providerOptions as StabilityOptions;
  const options: StabilityOptions = {};
  const warnings: Warning[] = [];
  const imageToImage = kind === 'edit' && model.endpoint !== 'inpaint';
  for (const [name, endpoints] of Object.entries(optionEndpoints) as Array<
    [keyof StabilityOptions, StabilityEndpoint[]]
  >) {
    const value = given[name];
    if (value === undefined || value === null) continue;
    const taken = endpoints.includes(model.endpoint) && (name !== 'strength' || imageToImage);
    if (taken) (options as Record<string, unknown>)[name] = value;
    else
      warnings.push({
        type: 'unsupported',
        feature: `provider_options.${provider}.${name}`,
        message: `${call.model} ${name === 'strength' ? 'takes strength only with an input image' : `has no ${name} setting`}; it was not sent.`,
      });
  }
  if (imageToImage && options.strength === undefined) {
    options.strength = defaultStrength;
    warnings.push({
      type: 'adjusted',
      feature: `provider_options.${provider}.strength`,
      message: `Image to image needs a strength (0 keeps the input, 1 ignores it); ${defaultStrength} was sent. Set provider_options.${provider}.strength to choose.`,
    });
  }
  // docs/providers/stability.md §8.4: aspect_ratio is for text to image only.
  const sendAspectRatio = !imageToImage && model.endpoint !== 'inpaint';
  if (!sendAspectRatio && call.aspectRatio)
    warnings.push({
      type: 'unsupported',
      feature: 'aspect_ratio',
      message: `${call.model} keeps the input image's shape; aspect_ratio was not sent.`,
    });
  const [image] = call.images;
  if (image) {
    if (image.width < 64 || image.height < 64)
      throw new InvalidRequestError(`${call.model} needs an input image of at least 64 px per side.`, {
        param: 'image',
        provider,
      });
    // docs/providers/stability.md §8.5: inpaint takes 4,096–9,437,184 pixels.
    const pixels = image.width * image.height;
    if (model.endpoint === 'inpaint' && pixels > 9_437_184)
      throw new InvalidRequestError(
        `${call.model} takes input images of at most 9,437,184 pixels; this one has ${pixels}.`,
        {
          param: 'image',
          provider,
        },
      );
  }
  return { model, options, sendAspectRatio, warnings };
}
