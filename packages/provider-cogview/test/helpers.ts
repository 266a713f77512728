import type { Test } from 'tap';
import type { ProviderCall, ProviderSettings } from '@uig/core';
import { createCogviewFake, type CogviewFakeOptions, providerCall } from '@uig/testkit';
import { createCogviewProvider } from '../src/index.js';

/** A started fake and a provider pointed at it, with sleeps recorded instead of waited. */
export async function setup(
  t: Test,
  options: { fake?: CogviewFakeOptions; settings?: Partial<ProviderSettings> } = {},
) {
  const fake = await createCogviewFake(options.fake).start();
  t.teardown(() => fake.close());
  const sleeps: number[] = [];
  const provider = createCogviewProvider({
    id: 'cogview',
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
    model: 'cogview-4-250304',
    prompt: 'a red fox in snow',
    size: { width: 1024, height: 1024 },
    credential: { id: 'cogview#1', apiKey: 'key-id.key-secret' },
    ...overrides,
  });
}

export { caught } from '@uig/testkit';
