import type { Test } from 'tap';
import type { ProviderCall, ProviderSettings } from '@uig/core';
import { createReplicateFake, type ReplicateFakeOptions, providerCall } from '@uig/testkit';
import { createReplicateProvider } from '../src/index.js';

/** A started fake and a provider pointed at it, with sleeps recorded instead of waited. */
export async function setup(
  t: Test,
  options: { fake?: ReplicateFakeOptions; settings?: Partial<ProviderSettings> } = {},
) {
  const fake = await createReplicateFake(options.fake).start();
  t.teardown(() => fake.close());
  const sleeps: number[] = [];
  const provider = createReplicateProvider({
    id: 'replicate',
    baseURL: fake.apiBaseURL,
    fetch: globalThis.fetch,
    options: {},
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options.settings,
  });
  return { fake, provider, sleeps };
}

export function callFor(overrides: Partial<ProviderCall> = {}): ProviderCall {
  return providerCall({
    model: 'black-forest-labs/flux-schnell',
    prompt: 'a red fox in snow',
    aspectRatio: '1:1',
    credential: { id: 'replicate#1', apiKey: 'r8_token' },
    ...overrides,
  });
}

export { caught } from '@uig/testkit';
