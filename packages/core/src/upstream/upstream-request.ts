import {
  InvalidUpstreamResponseError,
  RequestAbortedError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../errors.js';
import { readResponseBody } from './response-body.js';

/**
 * One HTTP exchange with a vendor, for adapters that speak plain fetch. It maps
 * transport failures to core errors (reset or refused: retryable 502; our timeout:
 * retryable 504; the caller's cancel: aborted) and parses the body as JSON leniently.
 * It never judges the status: the adapter maps vendor error bodies itself.
 */
export interface UpstreamRequest {
  provider: string;
  fetch: typeof globalThis.fetch;
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  /** Serialized as JSON when not a string, Buffer or FormData. */
  body?: unknown;
  signal: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  /** The parsed body; undefined when empty or not JSON. */
  json: unknown;
  /** The raw body text (for error messages: never log it whole, it may hold base64). */
  text: string;
}

/** Was this abort our own timeout (retryable) rather than the caller going away? */
function isTimeout(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name === 'TimeoutError';
}

export function transportError(error: unknown, signal: AbortSignal, provider: string): Error {
  if (signal.aborted) {
    return isTimeout(signal)
      ? new UpstreamTimeoutError(`${provider} did not answer in time.`, { provider, cause: error })
      : new RequestAbortedError(undefined, { provider, cause: error });
  }
  return new UpstreamUnavailableError(
    `Could not reach ${provider}: ${(error as Error)?.message ?? 'network error'}.`,
    { provider, cause: error },
  );
}

export async function upstreamRequest(request: UpstreamRequest): Promise<UpstreamResponse> {
  const headers: Record<string, string> = { ...request.headers };
  let body: RequestInit['body'];
  if (request.body === undefined) body = undefined;
  else if (
    typeof request.body === 'string' ||
    request.body instanceof Uint8Array ||
    request.body instanceof FormData
  )
    body = request.body as RequestInit['body'];
  else {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  let response: Response;
  let text: string;
  try {
    response = await request.fetch(request.url, {
      method: request.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      signal: request.signal,
    });
    // One read of the body (the pooled fetch's Node stream, no web streams), then one parse.
    text = (await readResponseBody(response, request.signal)).toString('utf8');
    // As response.text() does: a byte-order mark is not part of the text.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  } catch (error) {
    throw transportError(error, request.signal, request.provider);
  }
  let json: unknown;
  if (text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** For a 2xx whose body did not parse: the vendor broke its contract. */
export function malformedResponse(
  provider: string,
  response: UpstreamResponse,
  what = 'a JSON body',
): InvalidUpstreamResponseError {
  return new InvalidUpstreamResponseError(`${provider} answered HTTP ${response.status} without ${what}.`, {
    provider,
    vendorRequestId: response.headers.get('x-request-id') ?? undefined,
  });
}
