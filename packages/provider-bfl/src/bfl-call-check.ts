import { InvalidRequestError, UnsupportedCapabilityError, type ProviderCall, type Warning } from '@uig/core';
import { findBflModel, type BflModel, type BflModelFamily } from './bfl-models.js';
import type { BflOptions } from './bfl-options.js';

/**
 * Vendor rules the generic capability check cannot express (docs/providers/bfl.md §7.2):
 * which option each schema takes, FLUX.2's lower safety ceiling, fill's mask size.
 * Options a model lacks are not sent, with a warning.
 */

export type CheckedCall = Omit<ProviderCall, 'credential' | 'signal' | 'requestId'>;

/** docs/providers/bfl.md §7.2: the options each request schema has. */
const optionFamilies: Record<keyof BflOptions, readonly BflModelFamily[]> = {
  safety_tolerance: ['flux2', 'flux2-flex', 'kontext', 'pro-1.1', 'ultra', 'fill'],
  output_format: ['flux2', 'flux2-flex', 'kontext', 'pro-1.1', 'ultra', 'fill'],
  prompt_upsampling: ['flux2-flex', 'kontext', 'pro-1.1', 'ultra', 'fill'],
  raw: ['ultra'],
  guidance: ['flux2-flex', 'fill'],
  steps: ['flux2-flex', 'fill'],
};

export interface BflCheck {
  model: BflModel;
  /** The options to send (given, and taken by this model's schema). */
  options: BflOptions;
  warnings: Warning[];
}

export function checkBflCall(call: CheckedCall, kind: 'generate' | 'edit', provider: string): BflCheck {
  const model = findBflModel(call.model);
  if (!model)
    throw new InvalidRequestError(`${provider} has no model ${call.model}.`, { param: 'model', provider });
  const given = call.providerOptions as BflOptions;
  const options: BflOptions = {};
  const warnings: Warning[] = [];
  for (const [name, families] of Object.entries(optionFamilies) as Array<
    [keyof BflOptions, BflModelFamily[]]
  >) {
    const value = given[name];
    if (value === undefined || value === null) continue;
    if (families.includes(model.family)) (options as Record<string, unknown>)[name] = value;
    else
      warnings.push({
        type: 'unsupported',
        feature: `provider_options.${provider}.${name}`,
        message: `${call.model} has no ${name} setting; it was not sent.`,
      });
  }
  const isFlux2 = model.family === 'flux2' || model.family === 'flux2-flex';
  if (isFlux2 && (options.safety_tolerance ?? 0) > 5)
    throw new InvalidRequestError(`${call.model} takes safety_tolerance 0–5.`, {
      param: `provider_options.${provider}.safety_tolerance`,
      provider,
    });
  if (model.family === 'flux2-flex' && options.guidance !== undefined && options.guidance !== null) {
    if (options.guidance > 10)
      throw new InvalidRequestError(`${call.model} takes guidance 1.5–10.`, {
        param: `provider_options.${provider}.guidance`,
        provider,
      });
  }
  if (kind === 'edit' && model.family === 'fill') {
    const [image] = call.images;
    const { mask } = call;
    // docs/providers/bfl.md §7.2: the mask must be the image's size; without one the image's alpha is the mask.
    if (image && mask && (mask.width !== image.width || mask.height !== image.height))
      throw new InvalidRequestError(
        `The mask is ${mask.width}x${mask.height} but the image is ${image.width}x${image.height}; ${call.model} needs them the same size.`,
        { param: 'mask', provider, code: 'INVALID_MASK' },
      );
    if (!mask && image?.mimeType !== 'image/png')
      throw new UnsupportedCapabilityError(
        `${call.model} inpaints where the mask is white or the image transparent: give a mask, or a PNG with an alpha channel.`,
        { param: 'mask', provider, code: 'MASK_REQUIRED' },
      );
  }
  return { model, options, warnings };
}
