import { z } from 'zod';
import {
  InvalidUpstreamResponseError,
  malformedResponse,
  upstreamRequest,
  type ProviderCall,
  type ProviderResult,
  type Warning,
} from '@uig/core';
import { wanxError } from './wanx-error.js';
import type { WanxOptions } from './wanx-options.js';
import { topLevelCode } from './wanx-responses.js';

/**
 * The synchronous `multimodal-generation` protocol (docs/providers/wanx.md §13.2) of Qwen-Image
 * and Wan 2.6: one POST, no `X-DashScope-Async`, the images in the answer. Edit models
 * take their input images first in the user message, then the text.
 */

const multimodalServicePath = 'services/aigc/multimodal-generation/generation';

export function multimodalBody(call: ProviderCall, imageUrls: readonly string[]): Record<string, unknown> {
  const options = call.providerOptions as WanxOptions;
  return {
    model: call.model,
    input: {
      messages: [
        { role: 'user', content: [...imageUrls.map((image) => ({ image })), { text: call.prompt }] },
      ],
    },
    parameters: {
      ...(call.negativePrompt !== undefined && call.negativePrompt !== ''
        ? { negative_prompt: call.negativePrompt }
        : {}),
      // docs/providers/wanx.md §13.2: `W*H` with an asterisk, as the async API.
      ...(call.size ? { size: `${call.size.width}*${call.size.height}` } : {}),
      // Always sent: wan2.6-t2i would make 4 otherwise.
      n: call.n,
      ...(call.seed !== undefined ? { seed: call.seed } : {}),
      ...(options.prompt_extend != null ? { prompt_extend: options.prompt_extend } : {}),
      ...(options.watermark != null ? { watermark: options.watermark } : {}),
    },
  };
}

const contentItem = z
  .object({ image: z.string().nullish(), text: z.string().nullish() })
  .nullish()
  .catch(undefined);
/** docs/providers/wanx.md §13.2 success body, read leniently. */
const multimodalResponseSchema = z.object({
  request_id: z.string().nullish(),
  output: z
    .object({
      choices: z
        .array(
          z
            .object({ message: z.object({ content: z.array(contentItem).nullish() }).nullish() })
            .nullish()
            .catch(undefined),
        )
        .nullish(),
    })
    .nullish(),
});

export interface MultimodalRun {
  provider: string;
  fetch: typeof globalThis.fetch;
  baseURL: string;
  apiKey: string;
  workspaceId?: string | undefined;
  /** `X-DashScope-OssResourceResolve` when an input is `oss://` (docs/providers/wanx.md §13.1). */
  extraHeaders?: Record<string, string>;
  body: Record<string, unknown>;
  n: number;
  signal: AbortSignal;
}

export async function runMultimodal(run: MultimodalRun): Promise<ProviderResult> {
  const { provider } = run;
  const response = await upstreamRequest({
    provider,
    fetch: run.fetch,
    url: `${run.baseURL}/${multimodalServicePath}`,
    method: 'POST',
    headers: {
      authorization: `Bearer ${run.apiKey}`,
      ...(run.workspaceId ? { 'x-dashscope-workspace': run.workspaceId } : {}),
      ...run.extraHeaders,
    },
    body: run.body,
    signal: run.signal,
  });
  // docs/providers/wanx.md §4.7 (same envelope): a top-level code is an error on any status.
  if (response.status !== 200 || topLevelCode(response.json) !== undefined)
    throw wanxError(response, provider);
  const parsed = multimodalResponseSchema.safeParse(response.json);
  if (!parsed.success) throw malformedResponse(provider, response, 'output.choices');
  const vendorRequestId = parsed.data.request_id ?? undefined;
  const urls = (parsed.data.output?.choices ?? []).flatMap((choice) =>
    (choice?.message?.content ?? []).flatMap((item) => (item?.image ? [item.image] : [])),
  );
  const text = (parsed.data.output?.choices ?? [])
    .flatMap((choice) => (choice?.message?.content ?? []).flatMap((item) => (item?.text ? [item.text] : [])))
    .join(' ');
  if (urls.length === 0) {
    throw new InvalidUpstreamResponseError(
      `${provider} answered HTTP 200 with no image${text ? `: "${text.slice(0, 200)}"` : ''}.`,
      { provider, vendorRequestId },
    );
  }
  const warnings: Warning[] = [];
  if (urls.length < run.n) {
    warnings.push({
      type: 'partial_failure',
      feature: 'n',
      message: `${provider} returned ${urls.length} of the ${run.n} images asked for.`,
    });
  }
  return {
    images: urls.map((url) => ({ kind: 'url', url })),
    warnings,
    ...(vendorRequestId ? { vendorRequestId } : {}),
  };
}
