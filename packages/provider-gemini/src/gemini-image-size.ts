import type { ProviderCall } from '@uig/core';
import type { GeminiModelTraits } from './gemini-models.js';
import type { GeminiOptions } from './gemini-options.js';

/**
 * The output resolution to ask for: `provider_options.gemini.image_size` when the
 * model takes that value, else the tier core mapped the requested `size` to, else
 * `quality` (`hd` → 2K; `standard` leaves the vendor default, 1K). docs/providers/gemini.md §3.3 imageConfig.imageSize / docs/providers/gemini.md §3.2 sampleImageSize.
 * Undefined: send nothing. `gemini-check.ts` warns or refuses beforehand.
 */
export function resolveImageSize(
  call: Pick<ProviderCall, 'quality' | 'providerOptions' | 'sizeTier'>,
  traits: GeminiModelTraits,
): string | undefined {
  const requested = (call.providerOptions as GeminiOptions).image_size ?? undefined;
  if (requested !== undefined) return traits.imageSizes.includes(requested) ? requested : undefined;
  if (call.sizeTier !== undefined && traits.imageSizes.includes(call.sizeTier)) return call.sizeTier;
  if (call.quality === 'hd' && traits.imageSizes.includes('2K')) return '2K';
  return undefined;
}
