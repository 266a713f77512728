import {
  ContentPolicyError,
  InvalidRequestError,
  InvalidUpstreamResponseError,
  ModelNotFoundError,
  PayloadTooLargeError,
  QuotaExhaustedError,
  RateLimitedError,
  UpstreamAuthenticationError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  parseDuration,
  type UigError,
  type UpstreamResponse,
} from '@uig/core';
import { errorDetailSchema, errorEnvelopeSchema } from './gemini-responses.js';

/**
 * Maps a non-2xx Gemini answer (docs/providers/gemini.md §3.1) to a core error. Messages reach the client, so
 * they carry the vendor's text only after `vendorMessage` trimmed it, never the
 * `details` (DebugInfo may echo the key), and never an API key.
 */
export interface GeminiErrorContext {
  provider: string;
  model: string;
  /** Scrubbed from any vendor text that is kept. */
  apiKey: string;
}

/** Vendor text fit for a client: one line, no long base64 runs, no keys, at most `max` characters. */
export function vendorMessage(text: string | null | undefined, apiKey = '', max = 300): string {
  if (!text) return '';
  let cleaned = text;
  if (apiKey.length >= 4) cleaned = cleaned.split(apiKey).join('[redacted]');
  cleaned = cleaned
    .replace(/AIza[0-9A-Za-z_-]{20,}/g, '[redacted]')
    .replace(/([?&]key=)[^&\s]+/gi, '$1[redacted]')
    .replace(/[A-Za-z0-9+/=_-]{120,}/g, '[data]')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
}

/** docs/providers/gemini.md §3.1: newer 429 messages end in "Please retry in 7.96s." (observed); the fallback when RetryInfo is absent. */
function retryHintFromMessage(message: string): number | undefined {
  const match = /Please retry in (\d+(?:\.\d+)?)\s*(ms|s)\b/i.exec(message);
  if (!match) return undefined;
  const value = Number(match[1]);
  return Math.round(match[2]!.toLowerCase() === 'ms' ? value : value * 1000);
}

/** docs/providers/gemini.md §3.2: an Imagen prompt refused on Responsible AI grounds is a 400 INVALID_ARGUMENT with this text. */
const promptBlockedPattern = /Responsible AI|sensitive words|violate[sd]? .*(usage guidelines|policies)/i;

export function geminiError(response: UpstreamResponse, context: GeminiErrorContext): UigError {
  const { provider, model, apiKey } = context;
  // A stream answered without alt=sse wraps its error in an array.
  const raw = Array.isArray(response.json) ? response.json[0] : response.json;
  const envelope = errorEnvelopeSchema.safeParse(raw);
  const error = envelope.success ? envelope.data.error : undefined;
  const details = (error?.details ?? []).flatMap((detail) => {
    const parsed = errorDetailSchema.safeParse(detail);
    return parsed.success ? [parsed.data] : [];
  });
  const rawMessage = error?.message ?? '';
  const statusName = error?.status ?? undefined;
  const reason = details.find((detail) => detail.reason)?.reason ?? undefined;
  const vendorCode = reason ?? statusName ?? String(response.status);
  const said = vendorMessage(rawMessage, apiKey);
  const suffix = said ? `: ${said}` : '.';
  const base = { provider, vendorCode };
  const status = response.status;

  // docs/providers/gemini.md §3.1: the Gemini API has no 401; a wrong key is a 400 with ErrorInfo API_KEY_INVALID.
  if (reason === 'API_KEY_INVALID' || (status === 400 && /API key not valid/i.test(rawMessage))) {
    return new UpstreamAuthenticationError(
      `${provider} rejected the configured API key (API_KEY_INVALID).`,
      base,
    );
  }
  if (status === 401 || status === 403) {
    const why =
      reason === 'SERVICE_DISABLED'
        ? "the Generative Language API is not enabled for the key's project"
        : `permission denied (${statusName ?? status})`;
    return new UpstreamAuthenticationError(`${provider} refused the configured API key: ${why}.`, base);
  }
  if (status === 404) {
    return new ModelNotFoundError(
      `${provider} does not serve ${model} (HTTP 404): it may be retired or not available to this key.`,
      base,
    );
  }
  if (status === 429) {
    const retryInfo = details.find((detail) => detail.retryDelay);
    const retryAfterMs = parseDuration(retryInfo?.retryDelay) ?? retryHintFromMessage(rawMessage);
    const violations = details
      .flatMap((detail) => detail.violations ?? [])
      .filter((violation) => violation != null);
    // A quota of 0 (free tier, for a model it does not include) never refills: retrying cannot help.
    if (
      violations.some((violation) => String(violation.quotaValue) === '0') ||
      /\blimit: 0\b/.test(rawMessage)
    ) {
      return new QuotaExhaustedError(
        `${provider} gives this key no quota for ${model} (limit 0); use a key with billing enabled${suffix}`,
        { ...base, retryAfterMs },
      );
    }
    // A daily quota will not refill within this request's retries: the client gets the 429 with its hint.
    const daily = violations.some((violation) => /PerDay/i.test(violation.quotaId ?? ''));
    return new RateLimitedError(
      `${provider} rate limit reached for ${model}${daily ? ' (daily quota)' : ''}${suffix}`,
      { ...base, retryAfterMs, retryable: !daily },
    );
  }
  if (status === 408 || status === 504)
    return new UpstreamTimeoutError(`${provider} timed out (HTTP ${status})${suffix}`, base);
  if (status >= 500)
    return new UpstreamUnavailableError(
      `${provider} is unavailable (HTTP ${status}${statusName ? ` ${statusName}` : ''})${suffix}`,
      base,
    );
  if (status === 413)
    return new PayloadTooLargeError(`${provider} refused the request as too large${suffix}`, base);
  if (status === 400 && statusName === 'FAILED_PRECONDITION') {
    // docs/providers/gemini.md §3.1: "User location is not supported for the API use." The caller cannot fix it, another provider may.
    return new UpstreamUnavailableError(`${provider} refuses calls from this gateway${suffix}`, {
      ...base,
      code: 'UPSTREAM_PRECONDITION_FAILED',
      retryable: false,
    });
  }
  if (status === 400 && promptBlockedPattern.test(rawMessage)) {
    return new ContentPolicyError(`${provider} refused the prompt${suffix}`, {
      ...base,
      vendorCode: 'PROMPT_BLOCKED',
    });
  }
  if (status >= 400 && status < 500)
    return new InvalidRequestError(`${provider} rejected the request${suffix}`, {
      ...base,
      code: 'UPSTREAM_INVALID_REQUEST',
    });
  return new InvalidUpstreamResponseError(`${provider} answered HTTP ${status}${suffix}`, base);
}
