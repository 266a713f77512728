import {
  InvalidUpstreamResponseError,
  malformedResponse,
  realSleep,
  upstreamRequest,
  type ImageProvider,
  type ProviderCall,
  type ProviderResult,
  type ProviderSettings,
  type Warning,
} from '@uig/core';
import { runCogviewTask } from './cogview-async-task.js';
import { checkCogviewCall, type CheckedCall } from './cogview-call-check.js';
import { cogviewError, isCogviewErrorAnswer } from './cogview-error.js';
import { asyncModels, cogviewModels, defaultCogviewModel } from './cogview-models.js';
import { cogviewOptionsSchema, cogviewSettingsSchema, type CogviewOptions } from './cogview-options.js';
import { cogviewImagesResponseSchema } from './cogview-responses.js';

/**
 * Zhipu BigModel / Z.ai CogView (docs/providers/cogview.md §1): one normalized call becomes one
 * `POST /images/generations` (glm-image: an async task, docs/providers/cogview.md §1.5) and back. It never
 * retries, splits batches or downloads the URL it returns: core does.
 */
export function createCogviewProvider(settings: ProviderSettings): ImageProvider {
  const parsedSettings = cogviewSettingsSchema.safeParse(settings.options ?? {});
  if (!parsedSettings.success) {
    const issue = parsedSettings.error.issues[0]!;
    throw new TypeError(`${settings.id} options.${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  const { pollIntervalMs, pollTimeoutMs } = parsedSettings.data;
  const provider = settings.id;
  const sleep = settings.sleep ?? realSleep;
  const now = settings.now ?? Date.now;

  /** docs/providers/cogview.md §1.3 body: only the fields we have a value for; the vendor applies its defaults to the rest. */
  function requestBody(call: ProviderCall, quality: string | undefined): Record<string, unknown> {
    const options = call.providerOptions as CogviewOptions;
    return {
      model: call.model,
      prompt: call.prompt,
      ...(call.size ? { size: `${call.size.width}x${call.size.height}` } : {}),
      ...(quality ? { quality } : {}),
      ...(options.user_id != null ? { user_id: options.user_id } : {}),
      ...(options.watermark_enabled != null ? { watermark_enabled: options.watermark_enabled } : {}),
    };
  }

  async function generate(call: ProviderCall): Promise<ProviderResult> {
    const checked = checkCogviewCall(call, 'generate', provider);
    const warnings: Warning[] = [];
    if (call.n > 1) {
      warnings.push({
        type: 'unsupported',
        feature: 'n',
        message: `${provider} returns one image per call (docs/providers/cogview.md §1.4); ${call.n} were asked of this call.`,
      });
    }
    const baseURL = (call.credential.baseURL ?? settings.baseURL).replace(/\/+$/, '');
    // docs/providers/cogview.md §1.2: the raw key as a bearer token.
    const headers = { authorization: `Bearer ${call.credential.apiKey}` };
    const body = requestBody(call, checked.quality);

    if (asyncModels.has(checked.model.id)) {
      const result = await runCogviewTask({
        provider,
        fetch: settings.fetch,
        baseURL,
        headers,
        body,
        signal: call.signal,
        pollIntervalMs,
        pollTimeoutMs,
        sleep,
        now,
        onProgress: call.onProgress,
        onTaskId: call.onTaskId,
        resumeTaskId: call.resumeTaskId,
      });
      result.warnings.unshift(...warnings);
      return result;
    }

    const response = await upstreamRequest({
      provider,
      fetch: settings.fetch,
      url: `${baseURL}/images/generations`,
      method: 'POST',
      headers,
      body,
      signal: call.signal,
    });
    const context = { provider, now };
    if (isCogviewErrorAnswer(response)) throw cogviewError(response, context);
    const parsed = cogviewImagesResponseSchema.safeParse(response.json);
    if (!parsed.success) throw malformedResponse(provider, response);
    const vendorRequestId = parsed.data.request_id ?? response.headers.get('x-request-id') ?? undefined;
    const url = parsed.data.data?.[0]?.url;
    if (!url)
      throw new InvalidUpstreamResponseError(
        `${provider} answered HTTP ${response.status} without data[0].url.`,
        { provider, vendorRequestId },
      );
    return {
      images: [{ kind: 'url', url }],
      warnings,
      ...(vendorRequestId ? { vendorRequestId } : {}),
      ...(parsed.data.content_filter ? { metadata: { content_filter: parsed.data.content_filter } } : {}),
    };
  }

  return {
    id: provider,
    models: cogviewModels,
    defaultModel: defaultCogviewModel,
    optionsSchema: cogviewOptionsSchema,
    generate,
    check(call: CheckedCall, kind: 'generate' | 'edit'): Warning[] {
      checkCogviewCall(call, kind, provider);
      return [];
    },
  };
}
