import { sniffImage } from '@uig/core';
import type { DashScopeFakeOptions } from './dashscope-fake-options.js';

/** The request checks of the DashScope fake (docs/providers/wanx.md §4.3–4.4). */

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** docs/providers/wanx.md §4.4 per-function parameter ranges (unverified on the vendor's side). */
const numberRanges: Record<string, [number, number]> = {
  strength: [0, 1],
  top_scale: [1, 2],
  bottom_scale: [1, 2],
  left_scale: [1, 2],
  right_scale: [1, 2],
  upscale_factor: [1, 4],
};
export function sizeProblem(size: unknown): string | undefined {
  if (size === undefined) return undefined;
  // docs/providers/wanx.md §4.3: `W*H` with an asterisk; `x` is refused (real text unverified).
  const match = typeof size === 'string' ? /^(\d+)\*(\d+)$/.exec(size) : null;
  if (!match) return `size must be of the form width*height, got ${JSON.stringify(size)}.`;
  const width = Number(match[1]);
  const height = Number(match[2]);
  if ([width, height].some((side) => side < 512 || side > 1440))
    return 'The size is not match the allowed range [512, 1440].';
  if (width * height > 2_097_152) return 'The size exceeds 2 megapixels.';
  return undefined;
}

export function parametersProblem(parameters: Record<string, unknown>): string | undefined {
  const { n, seed } = parameters;
  if (n !== undefined && !(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 4))
    return 'n must be an integer in [1, 4].';
  if (
    seed !== undefined &&
    !(Number.isInteger(seed) && (seed as number) >= 0 && (seed as number) <= 2_147_483_647)
  )
    return 'seed must be in [0, 2147483647].';
  for (const flag of ['prompt_extend', 'watermark', 'is_sketch']) {
    if (parameters[flag] !== undefined && typeof parameters[flag] !== 'boolean')
      return `${flag} must be a boolean.`;
  }
  for (const [name, [low, high]] of Object.entries(numberRanges)) {
    const value = parameters[name];
    if (value !== undefined && !(typeof value === 'number' && value >= low && value <= high))
      return `${name} must be in [${low}, ${high}].`;
  }
  return undefined;
}

/** docs/providers/wanx.md §4.4: fetch a loopback input URL and check it is an image the vendor would take. */
export async function inputImageProblem(
  fetchInputs: Required<DashScopeFakeOptions>['fetchInputs'],
  url: string,
  field: string,
  signal: AbortSignal,
): Promise<{ problem?: string; size?: string }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: `${field} is not a valid URL.` };
  }
  if (!/^https?:$/.test(parsed.protocol)) return { problem: `${field} must be an http(s) URL.` };
  if (fetchInputs === 'never' || !isLoopback(parsed)) return {};
  try {
    const response = await fetch(url, { signal });
    if (!response.ok) return { problem: `Download ${field} failed: HTTP ${response.status}.` };
    return imageBytesProblem(new Uint8Array(await response.arrayBuffer()), field);
  } catch {
    return { problem: `Download ${field} failed.` };
  }
}

/** docs/providers/wanx.md §4.4: an image of 512–4096 px per side, at most 10 MB. */
export function imageBytesProblem(bytes: Uint8Array, field: string): { problem?: string; size?: string } {
  if (bytes.length > 10 * 1024 * 1024) return { problem: `${field} is larger than 10 MB.` };
  const info = sniffImage(bytes);
  if (!info) return { problem: `${field} is not a supported image.` };
  if ([info.width, info.height].some((side) => side < 512 || side > 4096))
    return { problem: `${field} sides must be within [512, 4096].` };
  return { size: `${info.width}x${info.height}` };
}
