import {
  malformedResponse,
  transportError,
  upstreamRequest,
  type ImageProvider,
  type ProviderCall,
  type ProviderImage,
  type ProviderResult,
  type ProviderSettings,
  type Warning,
} from '@uig/core';
import { checkSeedreamCall, type CheckedCall } from './seedream-call-check.js';
import { seedreamResponseError } from './seedream-error.js';
import { defaultSeedreamModel, seedreamModels } from './seedream-models.js';
import { seedreamOptionsSchema } from './seedream-options.js';
import { seedreamDefaultBaseURL, seedreamRegionBaseURLs } from './seedream-regions.js';
import { seedreamRequestBody } from './seedream-request-body.js';
import { seedreamImagesResponseSchema } from './seedream-responses.js';
import { seedreamResult, type SeedreamOutcome } from './seedream-result.js';
import { seedreamSettingsSchema } from './seedream-settings.js';
import { readSeedreamStream } from './seedream-stream.js';

/**
 * ByteDance Seedream on Volcengine Ark / BytePlus ModelArk (docs/providers/seedream.md §11):
 * one normalized call becomes one synchronous `POST /images/generations` (or an event
 * stream with `stream`), answered with URLs core downloads.
 */

const trimSlashes = (url: string) => url.replace(/\/+$/, '');

export function createSeedreamProvider(settings: ProviderSettings): ImageProvider {
  const parsedSettings = seedreamSettingsSchema.safeParse(settings.options ?? {});
  if (!parsedSettings.success) {
    const issue = parsedSettings.error.issues[0]!;
    throw new TypeError(`${settings.id} options.${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  const { region, modelIds } = parsedSettings.data;
  const provider = settings.id;
  const configured = trimSlashes(settings.baseURL || seedreamDefaultBaseURL);
  const providerBaseURL =
    region && configured === seedreamDefaultBaseURL ? seedreamRegionBaseURLs[region] : configured;

  /** §11.2: CN ids carry `doubao-`; BytePlus ids do not. */
  const vendorModelId = (model: string, baseURL: string) => {
    const style = modelIds ?? (new URL(baseURL).hostname.endsWith('volces.com') ? 'cn' : 'intl');
    return style === 'cn' ? `doubao-${model}` : model;
  };

  async function run(call: ProviderCall): Promise<ProviderResult> {
    // Its warnings reach the answer through check(), which core calls before every call.
    const checked = checkSeedreamCall(call, provider);
    const baseURL = trimSlashes(call.credential.baseURL ?? providerBaseURL);
    const body = seedreamRequestBody(call, checked, vendorModelId(call.model, baseURL));
    const url = `${baseURL}/images/generations`;
    const headers = {
      authorization: `Bearer ${call.credential.apiKey}`,
      'x-client-request-id': call.requestId,
    };
    if (body.stream) return stream(call, url, headers, body);
    const response = await upstreamRequest({
      provider,
      fetch: settings.fetch,
      url,
      headers,
      body,
      signal: call.signal,
    });
    const error = seedreamResponseError(response.status, response.headers, response.json, provider);
    if (error) throw error;
    const parsed = seedreamImagesResponseSchema.safeParse(response.json);
    if (!parsed.success || !parsed.data.data) throw malformedResponse(provider, response, 'data');
    const outcome: SeedreamOutcome = {
      images: [],
      failures: [],
      usage: parsed.data.usage,
      vendorRequestId: response.headers.get('x-request-id') ?? undefined,
    };
    parsed.data.data.forEach((item, index) => {
      const image: ProviderImage | undefined = item.url
        ? { kind: 'url', url: item.url }
        : item.b64_json
          ? { kind: 'base64', data: item.b64_json }
          : undefined;
      if (image) outcome.images.push(image);
      else
        outcome.failures.push({
          index,
          code: item.error?.code ?? undefined,
          message: item.error?.message ?? '',
        });
    });
    return seedreamResult(outcome, provider);
  }

  async function stream(
    call: ProviderCall,
    url: string,
    headers: Record<string, string>,
    body: Record<string, unknown>,
  ): Promise<ProviderResult> {
    let response: Response;
    try {
      response = await settings.fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify(body),
        signal: call.signal,
      });
    } catch (error) {
      throw transportError(error, call.signal, provider);
    }
    const vendorRequestId = response.headers.get('x-request-id') ?? undefined;
    // §11.5: validation errors come back as JSON even with stream: true.
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream') || !response.body) {
      let text = '';
      try {
        text = await response.text();
      } catch (error) {
        throw transportError(error, call.signal, provider);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      throw (
        seedreamResponseError(response.status, response.headers, json, provider) ??
        malformedResponse(
          provider,
          { status: response.status, headers: response.headers, json, text },
          'an event stream',
        )
      );
    }
    try {
      const outcome = await readSeedreamStream(response.body, {
        provider,
        vendorRequestId,
        onProgress: call.onProgress,
      });
      return seedreamResult(outcome, provider);
    } catch (error) {
      if (call.signal.aborted) throw transportError(error, call.signal, provider);
      throw error;
    }
  }

  return {
    id: provider,
    models: seedreamModels,
    defaultModel: defaultSeedreamModel,
    optionsSchema: seedreamOptionsSchema,
    generate: run,
    edit: run,
    check(call: CheckedCall): Warning[] {
      return checkSeedreamCall(call, provider).warnings;
    },
  };
}
