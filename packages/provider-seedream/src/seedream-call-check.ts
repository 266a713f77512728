import { InvalidRequestError, type ProviderCall, type Warning } from '@uig/core';
import { findSeedreamModel, type SeedreamModel } from './seedream-models.js';
import type { SeedreamOptions } from './seedream-options.js';

/**
 * Vendor rules the generic capability check cannot express (docs/providers/seedream.md
 * §11.3): tiers per model, image-set limits, options only some models take.
 */

export type CheckedCall = Omit<ProviderCall, 'credential' | 'signal' | 'requestId'>;

export interface SeedreamCheck {
  model: SeedreamModel;
  options: SeedreamOptions;
  warnings: Warning[];
}

export function checkSeedreamCall(call: CheckedCall, provider: string): SeedreamCheck {
  const model = findSeedreamModel(call.model);
  if (!model)
    throw new InvalidRequestError(`${provider} has no model ${call.model}.`, { param: 'model', provider });
  const options: SeedreamOptions = { ...(call.providerOptions as SeedreamOptions) };
  const warnings: Warning[] = [];
  const param = (name: string) => `provider_options.${provider}.${name}`;
  // §11.3: Seedream 4.5 takes the 2K and 4K tiers only.
  if (model.id.includes('4-5') && (options.size_tier === '1K' || options.size_tier === '3K'))
    throw new InvalidRequestError(`${call.model} takes size_tier 2K or 4K.`, {
      param: param('size_tier'),
      provider,
    });
  if (options.size_tier && call.size)
    warnings.push({
      type: 'adjusted',
      feature: 'size',
      message: `size_tier ${options.size_tier} was sent instead of ${call.size.width}x${call.size.height}; the vendor picks the pixel size.`,
    });
  if (options.max_images != null) {
    if (options.sequential_image_generation !== 'auto')
      throw new InvalidRequestError(
        'max_images applies to image sets: set sequential_image_generation to auto.',
        {
          param: param('max_images'),
          provider,
        },
      );
    // §11.3: reference images + outputs ≤ 15.
    if (call.images.length + options.max_images > 15)
      throw new InvalidRequestError(
        `Reference images plus max_images may be at most 15; ${call.images.length} + ${options.max_images} were given.`,
        { param: param('max_images'), provider },
      );
  }
  if (options.output_format && !model.outputFormat) {
    delete options.output_format;
    warnings.push({
      type: 'unsupported',
      feature: param('output_format'),
      message: `${call.model} always answers JPEG; output_format was not sent.`,
    });
  }
  if (options.optimize_prompt === 'fast' && !model.fastPromptOptimisation)
    throw new InvalidRequestError(`optimize_prompt fast is for Seedream 4.0 only; use standard.`, {
      param: param('optimize_prompt'),
      provider,
    });
  return { model, options, warnings };
}
