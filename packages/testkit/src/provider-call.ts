import type { ProviderCall } from '@uig/core';

/**
 * A `ProviderCall` for adapter tests: one image, no inputs, no options, a live signal.
 * Each provider's test helper gives its model, credential and size (or aspect ratio).
 */
export function providerCall(
  fields: Pick<ProviderCall, 'model' | 'prompt' | 'credential'> & Partial<ProviderCall>,
): ProviderCall {
  return {
    n: 1,
    images: [],
    providerOptions: {},
    signal: new AbortController().signal,
    requestId: 'request-1',
    ...fields,
  };
}
