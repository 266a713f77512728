import {
  ContentPolicyError,
  InvalidRequestError,
  InvalidUpstreamResponseError,
  ModelNotFoundError,
  QuotaExhaustedError,
  RateLimitedError,
  UpstreamAuthenticationError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  parseRetryAfterHeaders,
  type UigError,
  type UpstreamResponse,
} from '@uig/core';
import { cogviewErrorResponseSchema } from './cogview-responses.js';

/**
 * Maps a CogView error answer (docs/providers/cogview.md §1.6) to a core error. The business code
 * decides, the HTTP status only when there is no code we know. The vendor's message
 * goes into ours: it never holds the key, and it says what the vendor disliked.
 */

export interface CogviewErrorContext {
  /** The provider id (`cogview`, or an extra provider's name). */
  provider: string;
  now?: () => number;
}

export interface VendorFailure {
  code: string;
  message: string;
  status: number;
  headers?: Headers;
  vendorRequestId?: string | undefined;
  /** docs/providers/cogview.md §1.6 `contentFilter`, on refusals. */
  contentFilter?:
    | Array<{ role?: string | null; level?: number | null } | null | undefined>
    | null
    | undefined;
}

const authenticationCodes = new Set(['1000', '1001', '1002', '1003', '1004']);
// docs/providers/cogview.md §1.6 1110–1121: the account behind the key is inactive, missing or locked; 1220: no permission for this API.
const accountCodes = new Set(['1100', '1110', '1111', '1112', '1121', '1220']);
// docs/providers/cogview.md §1.6: 1113 is balance exhausted (HTTP 429) and retrying never helps; 1304 is the daily
// call limit, 1308 a usage limit that resets hours later, 1309 an expired plan.
const quotaCodes = new Set(['1113', '1304', '1308', '1309']);
const rateLimitCodes = new Set(['1302', '1303']);
const invalidRequestCodes = new Set(['1200', '1210', '1212', '1213', '1214', '1215', '1231']);
// docs/providers/cogview.md §1.6: 1120 "try again later", 1230 process error, 1234 network error: the vendor's trouble.
const transientCodes = new Set(['500', '1120', '1230', '1234']);

/** Vendor text goes into messages clipped, so an odd body cannot flood logs. */
function clip(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}

/** docs/providers/cogview.md §1.6 1213/1214 name the field: "`${field}` parameter ...". */
function paramFrom(message: string, provider: string): string | undefined {
  const fields: Array<[RegExp, string]> = [
    [/\bsize\b/i, 'size'],
    [/\bquality\b/i, 'quality'],
    [/\bprompt\b/i, 'prompt'],
    [/\buser_id\b/i, `provider_options.${provider}.user_id`],
    [/\bwatermark_enabled\b/i, `provider_options.${provider}.watermark_enabled`],
    [/\bmodel\b/i, 'model'],
  ];
  return fields.find(([pattern]) => pattern.test(message))?.[1];
}

/**
 * docs/providers/cogview.md §1.6 1308: "Your limit will reset at ${next_flush_time}". The time format and zone
 * are (unverified); a bare `YYYY-MM-DD HH:mm:ss` is read as Beijing time (UTC+8).
 */
function resetDelay(message: string, now: number): number | undefined {
  const match = /(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(message);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const reset = Date.UTC(year, month - 1, day, hour - 8, minute, second);
  return Number.isNaN(reset) ? undefined : Math.max(0, reset - now);
}

export function cogviewFailure(failure: VendorFailure, context: CogviewErrorContext): UigError {
  const { provider } = context;
  const { code, status } = failure;
  const vendorMessage = clip(failure.message);
  const message = `${provider} answered HTTP ${status}, code ${code}${vendorMessage ? `: ${vendorMessage}` : '.'}`;
  const retryAfterMs = failure.headers ? parseRetryAfterHeaders(failure.headers) : undefined;
  // The Python SDK obeys `x-should-retry` when present (docs/providers/cogview.md §1.6); a "false" keeps us from retrying too.
  const noRetry = failure.headers?.get('x-should-retry') === 'false' ? { retryable: false } : {};
  const extra = { provider, vendorCode: code, vendorRequestId: failure.vendorRequestId };

  if (code === '1301' || code === '1300') {
    const filter = failure.contentFilter?.find((entry) => entry?.role) ?? undefined;
    // docs/providers/cogview.md §1.6: role `user` means the prompt was blocked, `assistant` the generated image.
    const what =
      filter?.role === 'assistant'
        ? 'the generated image'
        : filter?.role === 'user'
          ? 'the prompt'
          : 'the request';
    const detail = filter ? ` (contentFilter role ${filter.role}, level ${filter.level ?? 'unknown'})` : '';
    return new ContentPolicyError(`${provider} refused ${what}${detail}: ${vendorMessage}`, {
      ...extra,
      param: 'prompt',
    });
  }
  if (rateLimitCodes.has(code)) return new RateLimitedError(message, { ...extra, retryAfterMs, ...noRetry });
  if (quotaCodes.has(code)) {
    const resetMs = code === '1308' ? resetDelay(failure.message, (context.now ?? Date.now)()) : undefined;
    return new QuotaExhaustedError(message, { ...extra, retryAfterMs: resetMs ?? retryAfterMs });
  }
  if (authenticationCodes.has(code) || accountCodes.has(code))
    return new UpstreamAuthenticationError(message, extra);
  if (code === '1211') return new ModelNotFoundError(message, extra);
  if (invalidRequestCodes.has(code)) {
    const param = code === '1212' ? 'model' : paramFrom(failure.message, provider);
    return new InvalidRequestError(message, {
      ...extra,
      ...(param ? { param } : {}),
      ...(param === 'size' ? { code: 'INVALID_SIZE' } : {}),
    });
  }
  if (transientCodes.has(code))
    return new UpstreamUnavailableError(message, { ...extra, retryAfterMs, ...noRetry });
  // docs/providers/cogview.md §1.6 1221/1222: the API is offline or missing: a wrong base URL or a retired endpoint; retrying will not help.
  if (code === '1221' || code === '1222')
    return new UpstreamUnavailableError(message, { ...extra, retryable: false });
  return fromStatus(message, status, { ...extra, retryAfterMs, ...noRetry });
}

function fromStatus(
  message: string,
  status: number,
  extra: {
    provider: string;
    vendorCode?: string | undefined;
    vendorRequestId?: string | undefined;
    retryAfterMs?: number | undefined;
    retryable?: boolean;
  },
): UigError {
  if (status === 400 || status === 422) return new InvalidRequestError(message, extra);
  if (status === 401 || status === 403) return new UpstreamAuthenticationError(message, extra);
  if (status === 408) return new UpstreamTimeoutError(message, extra);
  if (status === 429) return new RateLimitedError(message, extra);
  if (status >= 500) return new UpstreamUnavailableError(message, extra);
  return new InvalidUpstreamResponseError(message, extra);
}

/** Is this answer an error, whatever its status? A 2xx may still carry the docs/providers/cogview.md §1.6 envelope. */
export function isCogviewErrorAnswer(response: UpstreamResponse): boolean {
  if (response.status < 200 || response.status > 299) return true;
  if (typeof response.json !== 'object' || response.json === null) return false;
  const body = response.json as Record<string, unknown>;
  // A FAIL poll may carry `error` next to task_status: that is a finished task, read as such.
  return typeof body.error === 'object' && body.error !== null && body.task_status === undefined;
}

/** An HTTP answer that is not a success: the docs/providers/cogview.md §1.6 envelope when present, the status otherwise. */
export function cogviewError(response: UpstreamResponse, context: CogviewErrorContext): UigError {
  const parsed = cogviewErrorResponseSchema.safeParse(response.json);
  const headerRequestId = response.headers.get('x-request-id') ?? undefined;
  const code = parsed.success ? parsed.data.error.code : undefined;
  if (!parsed.success || code === undefined || code === null || String(code) === '') {
    // No envelope (an HTML 502 from a proxy, an empty body): the status is all we have.
    const message = `${context.provider} answered HTTP ${response.status} without a CogView error body.`;
    const extra = {
      provider: context.provider,
      vendorRequestId: headerRequestId,
      retryAfterMs: parseRetryAfterHeaders(response.headers),
    };
    return response.status >= 500 ||
      response.status === 429 ||
      response.status === 401 ||
      response.status === 403 ||
      response.status === 408
      ? fromStatus(message, response.status, extra)
      : new InvalidUpstreamResponseError(message, extra);
  }
  return cogviewFailure(
    {
      code: String(code),
      message: parsed.data.error.message ?? '',
      status: response.status,
      headers: response.headers,
      vendorRequestId: parsed.data.request_id ?? headerRequestId,
      contentFilter: parsed.data.contentFilter,
    },
    context,
  );
}
