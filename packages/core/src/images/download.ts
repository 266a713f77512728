import { leaseOf } from '../upstream/inflight-bytes.js';
import { attemptSignal } from '../upstream/attempt-signal.js';
import {
  isUigError,
  InvalidUpstreamResponseError,
  PayloadTooLargeError,
  RequestAbortedError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../errors.js';

/**
 * Fetches a URL into memory with a byte cap and a time limit. Used for vendor result
 * URLs (CogView, DALL·E, WanX hand out temporary links) and, behind the SSRF guard,
 * for input images given by URL.
 */
export interface DownloadOptions {
  fetch: typeof globalThis.fetch;
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
  provider?: string;
  /** Redirects to follow (each hop re-checked by `checkUrl`). Default 3. */
  maxRedirects?: number;
  /** Called for the first URL and every redirect target; throws to refuse it. */
  checkUrl?: (url: URL) => Promise<void>;
}

export interface Downloaded {
  data: Buffer;
  contentType: string | undefined;
  url: string;
}

export async function download(url: string, options: DownloadOptions): Promise<Downloaded> {
  const { signal, dispose } = attemptSignal(
    options.signal ?? new AbortController().signal,
    options.timeoutMs,
  );
  const provider = options.provider;
  let current = new URL(url);
  try {
    for (let hop = 0; ; hop++) {
      await options.checkUrl?.(current);
      const response = await options.fetch(current, {
        signal,
        redirect: options.checkUrl ? 'manual' : 'follow',
      });
      if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
        await response.body?.cancel();
        if (hop >= (options.maxRedirects ?? 3))
          throw new InvalidUpstreamResponseError(`Too many redirects fetching ${current.host}.`, {
            provider,
          });
        current = new URL(response.headers.get('location')!, current);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new UpstreamUnavailableError(
          `Fetching the image from ${current.host} failed with HTTP ${response.status}.`,
          { provider, retryable: response.status >= 500 },
        );
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (declared > options.maxBytes) {
        await response.body?.cancel();
        throw new PayloadTooLargeError(
          `The image at ${current.host} is ${declared} bytes; the limit is ${options.maxBytes}.`,
          { provider },
        );
      }
      // Under server.maxInflightImageBytes the image is read once it fits (upstream/inflight-bytes.ts).
      const lease = leaseOf(options.signal);
      if (lease && Number.isSafeInteger(declared)) await lease.reserve(declared, signal);
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of response.body ?? []) {
        total += chunk.byteLength;
        if (lease && !Number.isSafeInteger(declared)) lease.grow(chunk.byteLength);
        if (total > options.maxBytes) {
          throw new PayloadTooLargeError(
            `The image at ${current.host} is larger than the limit of ${options.maxBytes} bytes.`,
            { provider },
          );
        }
        chunks.push(Buffer.from(chunk));
      }
      return {
        data: Buffer.concat(chunks, total),
        contentType: response.headers.get('content-type') ?? undefined,
        url: current.href,
      };
    }
  } catch (error) {
    if (signal.aborted) {
      if (options.signal?.aborted) throw new RequestAbortedError(undefined, { provider, cause: error });
      throw new UpstreamTimeoutError(
        `Fetching the image from ${current.host} took longer than ${options.timeoutMs} ms.`,
        { provider, cause: error },
      );
    }
    if (isUigError(error)) throw error;
    if (error instanceof TypeError)
      throw new UpstreamUnavailableError(`Could not fetch the image from ${current.host}.`, {
        provider,
        cause: error,
      });
    throw error;
  } finally {
    dispose();
  }
}
