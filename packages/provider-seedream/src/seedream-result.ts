import type { ProviderImage, ProviderResult, ProviderUsage, Warning } from '@uig/core';
import { seedreamFailure } from './seedream-error.js';
import type { SeedreamUsage } from './seedream-responses.js';

/**
 * One call's outcome from the images and per-image failures the vendor gave
 * (docs/providers/seedream.md §11.4, §11.5): some images make a result with a
 * `partial_failure` warning; none make the first failure the error.
 */

export interface SeedreamOutcome {
  images: ProviderImage[];
  failures: Array<{ index: number; code: string | undefined; message: string }>;
  usage: SeedreamUsage;
  vendorRequestId: string | undefined;
}

export function seedreamResult(outcome: SeedreamOutcome, provider: string): ProviderResult {
  const { images, failures } = outcome;
  if (images.length === 0) {
    const first = failures[0];
    throw seedreamFailure(
      {
        status: 200,
        code: first?.code,
        message: first?.message ?? 'the answer held no image',
        vendorRequestId: outcome.vendorRequestId,
      },
      provider,
    );
  }
  const warnings: Warning[] = failures.map((failure) => ({
    type: 'partial_failure',
    message: `${provider} did not deliver image ${failure.index + 1} of the set (${failure.code ?? 'no code'}): ${failure.message}`,
  }));
  const usage: ProviderUsage = {};
  if (outcome.usage?.output_tokens != null) usage.outputTokens = outcome.usage.output_tokens;
  if (outcome.usage?.total_tokens != null) usage.totalTokens = outcome.usage.total_tokens;
  return {
    images,
    warnings,
    ...(Object.keys(usage).length > 0 ? { usage } : {}),
    ...(outcome.vendorRequestId ? { vendorRequestId: outcome.vendorRequestId } : {}),
  };
}
