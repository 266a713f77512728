import { InvalidRequestError, type InputImage, type ProviderCall } from '@uig/core';

/**
 * WanX fetches input images itself, from public URLs only (docs/providers/wanx.md §4.4: no base64,
 * no uploads through this API). The gateway offers each input through its own signed,
 * expiring URL under UIG_PUBLIC_URL, which must be reachable from the vendor's servers.
 * Without one, or with one the vendor cannot possibly reach, the request gets a 400
 * that names the setting instead of a task that fails upstream minutes later.
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

export async function wanxInputUrl(
  call: ProviderCall,
  image: InputImage,
  param: 'image' | 'mask',
  provider: string,
  vendorBaseURL: string,
): Promise<string> {
  if (!call.publicUrlFor) {
    throw new InvalidRequestError(
      `${provider} reads input images only from public URLs (it takes no uploads), and this gateway has no public URL: set UIG_PUBLIC_URL to an https address of this gateway that ${provider}'s servers can reach.`,
      { provider, param, code: 'PUBLIC_URL_REQUIRED' },
    );
  }
  const url = await call.publicUrlFor(image);
  const imageHost = new URL(url).hostname;
  if (isPrivateHost(imageHost) && !isPrivateHost(new URL(vendorBaseURL).hostname)) {
    throw new InvalidRequestError(
      `${provider} would have to fetch the input image from ${imageHost}, which it cannot reach: set UIG_PUBLIC_URL to an address of this gateway reachable from the internet.`,
      { provider, param, code: 'PUBLIC_URL_NOT_REACHABLE' },
    );
  }
  return url;
}
