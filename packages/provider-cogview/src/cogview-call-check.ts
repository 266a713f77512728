import {
  InvalidRequestError,
  ModelNotFoundError,
  UnsupportedCapabilityError,
  sizeViolation,
  type ModelDescriptor,
  type ProviderCall,
  type SizeRules,
} from '@uig/core';
import { findCogviewModel } from './cogview-models.js';
import type { CogviewOptions } from './cogview-options.js';

/**
 * What the vendor would reject, refused before any call (docs/providers/cogview.md §1.3). Core checks
 * the generic size rules first; this repeats them per model so the adapter is safe
 * when called on its own, and adds what SizeRules cannot say: the quality given twice.
 */

export type CheckedCall = Omit<ProviderCall, 'credential' | 'signal' | 'requestId'>;

export interface CheckedCogviewCall {
  model: ModelDescriptor;
  /** The `quality` to send, if any. */
  quality?: 'standard' | 'hd';
}

function describe(rules: SizeRules): string {
  const custom = rules.custom!;
  return `one of ${rules.allowed!.join(', ')}, or any WxH with sides ${custom.minSide}-${custom.maxSide} px, multiples of ${custom.multipleOf}, at most ${custom.maxPixels} px in all`;
}

export function checkCogviewCall(
  call: CheckedCall,
  kind: 'generate' | 'edit',
  provider: string,
): CheckedCogviewCall {
  const model = findCogviewModel(call.model);
  if (!model) throw new ModelNotFoundError(`${provider} has no model "${call.model}".`, { provider });
  if (kind === 'edit') {
    throw new UnsupportedCapabilityError(`${provider}/${model.id} cannot edit images.`, {
      provider,
      param: 'image',
      code: 'EDIT_NOT_SUPPORTED',
    });
  }
  const rules = model.capabilities.sizes!;
  if (call.size) {
    const violation = sizeViolation(call.size, rules);
    if (violation) {
      throw new InvalidRequestError(
        `size ${call.size.width}x${call.size.height} is not supported by ${provider}/${model.id}: ${violation}. Use ${describe(rules)}.`,
        { provider, param: 'size', code: 'INVALID_SIZE' },
      );
    }
  }

  const options = call.providerOptions as CogviewOptions;
  const fromOption = options.quality ?? undefined;
  const fromCall = call.quality;
  const qualities = model.capabilities.qualities ?? [];
  if (fromCall !== undefined && fromOption !== undefined && fromCall !== fromOption) {
    throw new InvalidRequestError(
      `quality "${fromCall}" and provider_options.${provider}.quality "${fromOption}" disagree; give one of them.`,
      { provider, param: `provider_options.${provider}.quality`, code: 'CONFLICTING_OPTIONS' },
    );
  }
  if (fromOption !== undefined && !qualities.includes(fromOption)) {
    // docs/providers/cogview.md §1.3: glm-image only supports hd.
    throw new InvalidRequestError(
      `provider_options.${provider}.quality "${fromOption}" is not supported by ${model.id}; use ${qualities.join(', ')}.`,
      {
        provider,
        param: `provider_options.${provider}.quality`,
        code: 'INVALID_PROVIDER_OPTION',
      },
    );
  }
  if (fromCall !== undefined && !qualities.includes(fromCall)) {
    throw new InvalidRequestError(
      `quality "${fromCall}" is not supported by ${model.id}; use ${qualities.join(', ')}.`,
      { provider, param: 'quality', code: 'INVALID_QUALITY' },
    );
  }
  const quality = (fromOption ?? fromCall) as CheckedCogviewCall['quality'];
  return quality ? { model, quality } : { model };
}
