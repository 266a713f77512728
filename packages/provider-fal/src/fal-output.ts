import {
  ContentPolicyError,
  InvalidUpstreamResponseError,
  malformedResponse,
  type ProviderImage,
  type ProviderResult,
  type UpstreamResponse,
  type Warning,
} from '@uig/core';
import { falOutputSchema } from './fal-responses.js';

/**
 * The endpoint's output (docs/providers/fal.md §9.3) as a result. Images the safety checker flagged
 * (`has_nsfw_concepts[i]` or `nsfw_content_detected[i]` true) are never delivered: all
 * flagged is a refusal, some flagged a partial result with a warning.
 */

export interface FalOutputContext {
  provider: string;
  requestId: string;
  /** Images asked of this call. */
  n: number;
}

const dataUriPattern = /^data:([^;,]+)?(;base64)?,(.*)$/s;

function toImage(url: string, contentType: string | undefined): ProviderImage | undefined {
  if (url.startsWith('data:')) {
    // docs/providers/fal.md §9.3 sync_mode: the image inline as a data URI.
    const match = dataUriPattern.exec(url);
    if (!match?.[2]) return undefined;
    return { kind: 'base64', data: match[3]!, mimeType: match[1] ?? contentType ?? 'image/png' };
  }
  return { kind: 'url', url, ...(contentType ? { mimeType: contentType } : {}) };
}

export function falResult(response: UpstreamResponse, context: FalOutputContext): ProviderResult {
  const { provider, requestId } = context;
  const parsed = falOutputSchema.safeParse(response.json);
  if (!parsed.success) throw malformedResponse(provider, response, 'an output object');
  const output = parsed.data;
  const listed = output.images ?? (output.image ? [output.image] : []);
  const flags = output.has_nsfw_concepts ?? output.nsfw_content_detected;
  const flagged = (index: number) => (Array.isArray(flags) ? flags[index] === true : flags === true);

  const images: ProviderImage[] = [];
  let refused = 0;
  listed.forEach((item, index) => {
    if (flagged(index)) {
      refused += 1;
      return;
    }
    const image = item?.url ? toImage(item.url, item.content_type ?? undefined) : undefined;
    if (image) images.push(image);
  });
  const metadata: Record<string, unknown> = {
    request_id: requestId,
    ...(output.seed != null ? { seed: output.seed } : {}),
    ...(output.timings ? { timings: output.timings } : {}),
    ...(refused > 0 ? { nsfw_flagged: refused } : {}),
  };
  if (images.length === 0) {
    if (refused > 0)
      throw new ContentPolicyError(
        `${provider}'s safety checker flagged ${refused === 1 ? 'the image' : `all ${refused} images`} (has_nsfw_concepts); nothing was delivered.`,
        { provider, vendorCode: 'has_nsfw_concepts', vendorRequestId: requestId, param: 'prompt' },
      );
    throw new InvalidUpstreamResponseError(`${provider} finished request ${requestId} without any image.`, {
      provider,
      vendorRequestId: requestId,
    });
  }
  const warnings: Warning[] = [];
  if (refused > 0)
    warnings.push({
      type: 'partial_failure',
      feature: 'n',
      message: `${provider}'s safety checker flagged ${refused} of ${listed.length} images; they were not delivered.`,
    });
  else if (images.length < context.n)
    warnings.push({
      type: 'partial_failure',
      feature: 'n',
      message: `${provider} returned ${images.length} of the ${context.n} images asked for.`,
    });
  return { images, warnings, vendorRequestId: requestId, metadata };
}
