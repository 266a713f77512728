import {
  ContentPolicyError,
  InvalidRequestError,
  InvalidUpstreamResponseError,
  ModelNotFoundError,
  RateLimitedError,
  UpstreamAuthenticationError,
  UpstreamUnavailableError,
  parseRetryAfterHeaders,
  upstreamRequest,
  type ImageProvider,
  type ModelDescriptor,
  type ProviderCall,
  type ProviderImage,
  type ProviderResult,
  type ProviderSettings,
  type UpstreamResponse,
} from '@uig/core';
import { z } from 'zod';

/**
 * OpenAI-compatible image APIs that differ from OpenAI's in a few fields
 * (docs/providers/compatible-presets.md §12): each preset says how a call becomes its body,
 * and the answer is read the OpenAI way (`data[].b64_json | url`), plus xAI's
 * `respect_moderation: false`, which means the image was blocked even on HTTP 200.
 */
export interface CompatiblePreset {
  type: string;
  models: readonly ModelDescriptor[];
  defaultModel: string;
  generationBody(call: ProviderCall): Record<string, unknown>;
  /** xAI edits are JSON with the images as URLs or data URIs (§12.1). */
  editBody?(call: ProviderCall): Record<string, unknown>;
}

const answerSchema = z.object({
  data: z
    .array(
      z
        .object({
          b64_json: z.string().nullish(),
          url: z.string().nullish(),
          revised_prompt: z.string().nullish(),
          respect_moderation: z.boolean().nullish(),
        })
        .nullish()
        .catch(undefined),
    )
    .nullish(),
  /** §12.1: xAI's own figure for the call. */
  usage: z.object({ cost_in_usd_ticks: z.number().nullish() }).nullish().catch(undefined),
});

/** xAI counts cost in ticks of 10^-10 USD (as third-party clients read it; docs/providers/compatible-presets.md §16). */
const usdTicks = 1e10;
const errorSchema = z.object({
  error: z.union([z.string(), z.object({ message: z.string().nullish() }).passthrough()]).nullish(),
  message: z.string().nullish(),
});

function presetError(response: UpstreamResponse, provider: string): Error {
  const parsed = errorSchema.safeParse(response.json);
  const raw = parsed.success ? parsed.data : undefined;
  const vendorMessage =
    (typeof raw?.error === 'string' ? raw.error : raw?.error?.message) ??
    raw?.message ??
    `HTTP ${response.status}`;
  const message = `${provider}: ${String(vendorMessage).slice(0, 300)}`;
  if (response.status === 400 || response.status === 422)
    return new InvalidRequestError(message, { provider });
  if (response.status === 401 || response.status === 403)
    return new UpstreamAuthenticationError(message, { provider });
  if (response.status === 404) return new ModelNotFoundError(message, { provider });
  if (response.status === 429)
    return new RateLimitedError(message, {
      provider,
      retryAfterMs: parseRetryAfterHeaders(response.headers),
    });
  if (response.status >= 500) return new UpstreamUnavailableError(message, { provider });
  return new InvalidUpstreamResponseError(message, { provider });
}

export function createCompatiblePresetProvider(
  preset: CompatiblePreset,
  settings: ProviderSettings,
): ImageProvider {
  const provider = settings.id;
  const run = async (
    call: ProviderCall,
    path: string,
    body: Record<string, unknown>,
  ): Promise<ProviderResult> => {
    const base = (call.credential.baseURL ?? settings.baseURL).replace(/\/+$/, '');
    const response = await upstreamRequest({
      provider,
      fetch: settings.fetch,
      url: `${base}${path}`,
      method: 'POST',
      headers: { authorization: `Bearer ${call.credential.apiKey}` },
      body,
      signal: call.signal,
    });
    if (response.status !== 200) throw presetError(response, provider);
    const parsed = answerSchema.safeParse(response.json);
    if (!parsed.success)
      throw new InvalidUpstreamResponseError(`${provider} answered without data[].`, { provider });
    const items = (parsed.data.data ?? []).filter((item) => item != null);
    // §12.1: respect_moderation false means the image was blocked.
    const allowed = items.filter((item) => item.respect_moderation !== false);
    if (items.length > 0 && allowed.length === 0)
      throw new ContentPolicyError(`${provider} blocked the image (respect_moderation: false).`, {
        provider,
      });
    const images: ProviderImage[] = allowed.flatMap((item): ProviderImage[] =>
      item.b64_json
        ? [{ kind: 'base64', data: item.b64_json }]
        : item.url
          ? [{ kind: 'url', url: item.url }]
          : [],
    );
    if (images.length === 0)
      throw new InvalidUpstreamResponseError(`${provider} returned no image.`, { provider });
    const revisedPrompt = allowed.find((item) => item.revised_prompt)?.revised_prompt ?? undefined;
    return {
      images,
      warnings:
        images.length < call.n
          ? [
              {
                type: 'partial_failure',
                feature: 'n',
                message: `${provider} returned ${images.length} of ${call.n} images${items.length > allowed.length ? ' (some blocked by moderation)' : ''}.`,
              },
            ]
          : [],
      ...(revisedPrompt ? { revisedPrompt } : {}),
      ...(parsed.data.usage?.cost_in_usd_ticks != null
        ? { usage: { vendorCostUsd: parsed.data.usage.cost_in_usd_ticks / usdTicks } }
        : {}),
    };
  };
  const editBody = preset.editBody;
  return {
    id: provider,
    models: preset.models,
    defaultModel: preset.defaultModel,
    optionsSchema: z.strictObject({}),
    generate: (call) => run(call, '/images/generations', preset.generationBody(call)),
    ...(editBody ? { edit: (call: ProviderCall) => run(call, '/images/edits', editBody(call)) } : {}),
  };
}
