import { z } from 'zod';
import {
  ContentPolicyError,
  InvalidUpstreamResponseError,
  NoProviderAvailableError,
  QuotaExhaustedError,
  RateLimitedError,
  solidPng,
  UpstreamAuthenticationError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  type ImageProvider,
  type ModelCapabilities,
  type ProviderCall,
  type ProviderPlugin,
  type ProviderResult,
} from '@uig/core';

/**
 * A provider plugin whose behaviour the prompt picks, for driving every status of
 * docs/api.md through the real runtime, service and routes. Enabled by SCRIPTED_API_KEY.
 * A prompt containing one of `triggers` gets that vendor error; `HOLD` waits until
 * the test opens the gate. Otherwise it answers solid PNGs of the asked size.
 */
export const triggers = {
  refuse: 'TRIGGER_REFUSE',
  quota: 'TRIGGER_QUOTA',
  rateLimit: 'TRIGGER_RATELIMIT',
  down: 'TRIGGER_DOWN',
  timeout: 'TRIGGER_TIMEOUT',
  noProvider: 'TRIGGER_NOPROVIDER',
  badKey: 'TRIGGER_BADKEY',
  garbage: 'TRIGGER_GARBAGE',
  hold: 'TRIGGER_HOLD',
  /** Every vendor call but the first of a split request fails (UpstreamUnavailable). */
  laterCallsDown: 'TRIGGER_LATER_CALLS_DOWN',
} as const;

export const scriptedCapabilities: ModelCapabilities = {
  generate: true,
  edit: true,
  mask: true,
  maxImagesPerCall: 2,
  maxImagesPerRequest: 4,
  maxInputImages: 2,
  sizes: { allowed: ['256x256', '512x512', '64x64'], default: '64x64' },
  seed: true,
  negativePrompt: false,
  delivery: 'bytes',
  maxPromptLength: 200,
};

export interface ScriptedControl {
  plugin: ProviderPlugin;
  calls: ProviderCall[];
  /** Lets every call on `HOLD` through, now and later. */
  release(): void;
  /** Resolves when a call is waiting on `HOLD`. */
  held(): Promise<void>;
}

export function scriptedPlugin(type = 'scripted'): ScriptedControl {
  const calls: ProviderCall[] = [];
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let onHeld: () => void = () => undefined;
  const heldPromise = new Promise<void>((resolve) => (onHeld = resolve));
  const provider = (id: string): ImageProvider => {
    const answer = async (call: ProviderCall): Promise<ProviderResult> => {
      calls.push(call);
      const p = call.prompt;
      const provider = id;
      if (p.includes(triggers.refuse))
        throw new ContentPolicyError('The vendor refused the prompt.', { provider, vendorCode: '1301' });
      if (p.includes(triggers.quota))
        throw new QuotaExhaustedError('Balance exhausted.', { provider, vendorCode: '1113' });
      if (p.includes(triggers.rateLimit))
        throw new RateLimitedError('Vendor rate limit.', {
          provider,
          vendorCode: '1302',
          retryAfterMs: 120_000,
        });
      if (p.includes(triggers.laterCallsDown) && (call.imageOffset ?? 0) > 0)
        throw new UpstreamUnavailableError('Vendor 500.', { provider });
      if (p.includes(triggers.down)) throw new UpstreamUnavailableError('Vendor 500.', { provider });
      if (p.includes(triggers.timeout)) throw new UpstreamTimeoutError('Vendor too slow.', { provider });
      if (p.includes(triggers.noProvider))
        throw new NoProviderAvailableError('Nothing can serve this.', { provider });
      if (p.includes(triggers.badKey))
        throw new UpstreamAuthenticationError('Vendor says 401.', { provider });
      if (p.includes(triggers.garbage)) throw new InvalidUpstreamResponseError('Not JSON.', { provider });
      if (p.includes(triggers.hold)) {
        onHeld();
        await gate;
      }
      const width = call.size?.width ?? 64;
      const height = call.size?.height ?? 64;
      return {
        images: Array.from({ length: call.n }, (_, index) => ({
          kind: 'bytes' as const,
          data: solidPng(width, height, [index * 40, 100, (calls.length * 30) % 256, 255]),
        })),
        warnings: [],
      };
    };
    return {
      id,
      models: [
        {
          id: 'painter',
          description: 'Scripted test model',
          capabilities: scriptedCapabilities,
          price: { readOn: '2026-11-27', source: 'test', perImage: [{ usd: 0.01 }] },
        },
        {
          id: 'sketcher',
          description: 'Scripted generate-only model',
          capabilities: { ...scriptedCapabilities, edit: false, mask: false, maxInputImages: 0 },
        },
      ],
      defaultModel: 'painter',
      optionsSchema: z.object({ style: z.enum(['ink', 'oil']).optional() }).strict(),
      generate: answer,
      edit: answer,
    };
  };
  return {
    plugin: {
      type,
      env: { apiKey: `${type.toUpperCase()}_API_KEY`, baseURL: `${type.toUpperCase()}_BASE_URL` },
      defaultBaseURL: 'http://scripted.invalid',
      create: (settings) => provider(settings.id),
    },
    calls,
    release: () => open(),
    held: () => heldPromise,
  };
}
