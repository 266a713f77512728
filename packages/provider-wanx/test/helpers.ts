import type { Test } from 'tap';
import { solidPng, type InputImage, type ProviderCall, type ProviderSettings } from '@uig/core';
import {
  createDashScopeFake,
  type DashScopeFake,
  type DashScopeFakeOptions,
  providerCall,
} from '@uig/testkit';
import { createWanxProvider } from '../src/index.js';

/**
 * A started fake and a provider pointed at it. Sleeps are recorded, not waited, and
 * advance a virtual clock, so deadlines pass in milliseconds.
 */
export async function setup(
  t: Test,
  options: {
    fake?: DashScopeFakeOptions;
    options?: Record<string, unknown>;
    settings?: Partial<ProviderSettings>;
  } = {},
) {
  const fake = await createDashScopeFake(options.fake).start();
  t.teardown(() => fake.close());
  const clock = { now: 1_700_000_000_000 };
  const sleeps: number[] = [];
  const provider = createWanxProvider({
    id: 'wanx',
    baseURL: fake.apiBaseURL,
    fetch: globalThis.fetch,
    options: options.options ?? {},
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    now: () => clock.now,
    ...options.settings,
  });
  return { fake, provider, sleeps, clock };
}

export function callFor(overrides: Partial<ProviderCall> = {}): ProviderCall {
  return providerCall({
    model: 'wanx2.1-t2i-turbo',
    prompt: 'a flower shop with carved windows',
    size: { width: 1024, height: 1024 },
    credential: { id: 'wanx#1', apiKey: 'sk-test' },
    ...overrides,
  });
}

export function pngInput(width = 512, height = 512): InputImage {
  return { data: solidPng(width, height), mimeType: 'image/png', width, height };
}

/** An edit call whose inputs the fake itself serves, as the gateway's signed URLs would be. */
export function editCallFor(fake: DashScopeFake, overrides: Partial<ProviderCall> = {}): ProviderCall {
  return callFor({
    model: 'wanx2.1-imageedit',
    prompt: 'make it ceramic',
    size: undefined,
    images: [pngInput()],
    publicUrlFor: async (image) => fake.serveFile(Buffer.from(image.data), image.mimeType),
    ...overrides,
  });
}

export { caught } from '@uig/testkit';

/** Create calls the fake received (what the adapter sent). */
export const creates = (fake: DashScopeFake) =>
  fake.requests.filter((request) => request.path.endsWith('/image-synthesis'));
export const polls = (fake: DashScopeFake) =>
  fake.requests.filter((request) => request.method === 'GET' && request.path.includes('/tasks/'));
export const cancels = (fake: DashScopeFake) => fake.callsTo('/cancel');
