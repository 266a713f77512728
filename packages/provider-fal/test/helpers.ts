import type { Test } from 'tap';
import type { ProviderCall, ProviderSettings } from '@uig/core';
import { createFalFake, type FalFakeOptions, providerCall } from '@uig/testkit';
import { createFalProvider } from '../src/index.js';

/** A started fake and a provider pointed at it, with sleeps recorded instead of waited. */
export async function setup(
  t: Test,
  options: { fake?: FalFakeOptions; settings?: Partial<ProviderSettings> } = {},
) {
  const fake = await createFalFake(options.fake).start();
  t.teardown(() => fake.close());
  const sleeps: number[] = [];
  const provider = createFalProvider({
    id: 'fal',
    baseURL: fake.url,
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
    model: 'fal-ai/flux/dev',
    prompt: 'a red fox in snow',
    size: { width: 1024, height: 1024 },
    credential: { id: 'fal#1', apiKey: 'fal-key-1' },
    ...overrides,
  });
}

export { caught } from '@uig/testkit';
