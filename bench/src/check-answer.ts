import type { LoadRequest } from './load-generator.js';

/**
 * One request before any load: the target must answer 200 with the image in the
 * expected form, or the numbers after it would measure an error page.
 */
export async function checkAnswer(
  name: string,
  request: LoadRequest,
  expected: 'b64_json' | 'url',
): Promise<number> {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: { ...request.headers, ...request.nextHeaders?.() },
    body: request.body,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${name}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  const item = (JSON.parse(text) as { data?: Record<string, unknown>[] }).data?.[0];
  if (typeof item?.[expected] !== 'string')
    throw new Error(`${name}: no data[0].${expected} in ${text.slice(0, 300)}`);
  return Buffer.byteLength(text);
}
