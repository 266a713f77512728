/**
 * Retry hints from vendors, in milliseconds. OpenAI sends `retry-after-ms`, then
 * `retry-after` (seconds or an HTTP date) (docs/providers/openai.md §2.8); Gemini sends
 * `RetryInfo.retryDelay` as a protobuf duration like "59s" or "7.96s" (docs/providers/gemini.md §3.1).
 */
export function parseRetryAfterHeaders(
  headers: Headers | Record<string, string | undefined>,
  now = Date.now(),
): number | undefined {
  const get = (name: string) =>
    headers instanceof Headers ? (headers.get(name) ?? undefined) : headers[name];
  const milliseconds = Number(get('retry-after-ms'));
  if (get('retry-after-ms') !== undefined && Number.isFinite(milliseconds) && milliseconds >= 0)
    return milliseconds;
  const value = get('retry-after');
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A protobuf JSON duration ("59s", "7.96s", "0.5s") in milliseconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}
