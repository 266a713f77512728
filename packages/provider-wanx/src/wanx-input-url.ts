import type { InputImage, ProviderCall } from '@uig/core';
import { uploadTemporaryImage } from './dashscope-upload.js';

/**
 * DashScope fetches input images itself, by URL (docs/providers/wanx.md §4.4: no base64 in the
 * async API). A desktop user has no public gateway URL, so inputs that are not already at
 * a public https address go through DashScope's own temporary upload (§13.1).
 */

/** Hosts no vendor on the internet can reach: loopback, private and link-local literals. */
function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '0.0.0.0' ||
    host === '::' ||
    host === '::1'
  )
    return true;
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (ipv4) {
    const [first, second] = [Number(ipv4[1]), Number(ipv4[2])];
    return (
      first === 127 ||
      first === 10 ||
      (first === 172 && second >= 16 && second <= 31) ||
      (first === 192 && second === 168) ||
      (first === 169 && second === 254)
    );
  }
  // fc00::/7 unique-local and fe80::/10 link-local.
  return /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host);
}

export interface WanxInputContext {
  provider: string;
  fetch: typeof globalThis.fetch;
  /** The DashScope API base the call goes to (a region's). */
  baseURL: string;
  /** The model that will read the inputs (upload policies are per model). */
  model: string;
}

export interface WanxInputUrls {
  urls: string[];
  /** Some URL is `oss://`: the model call must send `X-DashScope-OssResourceResolve: enable`. */
  ossResolve: boolean;
}

/**
 * The URL DashScope reads each input from, in this order: the public https URL the caller
 * gave (checked by core like any download); this gateway's own signed URL when
 * UIG_PUBLIC_URL is set to an address the vendor can reach; else DashScope's temporary
 * upload (docs/providers/wanx.md §13.1), which needs no public address at all.
 */
export async function wanxInputUrls(
  call: ProviderCall,
  images: readonly InputImage[],
  context: WanxInputContext,
): Promise<WanxInputUrls> {
  let ossResolve = false;
  const urls: string[] = [];
  for (const [index, image] of images.entries()) {
    if (image.sourceUrl?.startsWith('https://')) {
      urls.push(image.sourceUrl);
      continue;
    }
    const gatewayUrl = await publicGatewayUrl(call, image, context.baseURL);
    if (gatewayUrl) {
      urls.push(gatewayUrl);
      continue;
    }
    urls.push(
      await uploadTemporaryImage(
        {
          provider: context.provider,
          fetch: context.fetch,
          baseURL: context.baseURL,
          apiKey: call.credential.apiKey,
          model: context.model,
          signal: call.signal,
        },
        image,
        `${call.requestId}-${index + 1}`.replace(/[^\w.-]/g, '_'),
      ),
    );
    ossResolve = true;
  }
  return { urls, ossResolve };
}

/** This gateway's URL for the image, when it has one the vendor could reach. */
async function publicGatewayUrl(
  call: ProviderCall,
  image: InputImage,
  vendorBaseURL: string,
): Promise<string | undefined> {
  if (!call.publicUrlFor) return undefined;
  const url = await call.publicUrlFor(image);
  const unreachable = isPrivateHost(new URL(url).hostname) && !isPrivateHost(new URL(vendorBaseURL).hostname);
  return unreachable ? undefined : url;
}
