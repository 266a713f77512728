import type { UigConfig } from '@uig/core';
import type { UrlSigner } from './url-signer.js';

/**
 * The base of image URLs for one request (docs/configuration.md, "Image URLs"). With
 * UIG_PUBLIC_URL set, that. Otherwise the request's Host when it names this server: a
 * loopback name or address, the listen address, or a name in `server.publicHosts`; so
 * `localhost`, port forwards and container names get URLs they can reach (and the AI
 * SDK, which fetches only from the origin it called, accepts them). Any other Host
 * gets the listen address: a forged Host header cannot point URLs elsewhere.
 */
type PublicUrlConfig = Pick<UigConfig, 'host' | 'publicUrl' | 'publicUrlConfigured' | 'publicHosts'>;

const loopback = (hostname: string) =>
  hostname === 'localhost' ||
  hostname.endsWith('.localhost') ||
  /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) ||
  hostname === '[::1]';

function requestPublicUrl(config: PublicUrlConfig, host: string | undefined): string {
  if (config.publicUrlConfigured || !host) return config.publicUrl;
  let parsed: URL;
  try {
    parsed = new URL(`http://${host}`);
  } catch {
    return config.publicUrl;
  }
  // Only a bare host[:port]: no user info, path or anything else smuggled in.
  if (parsed.host !== host.toLowerCase()) return config.publicUrl;
  const name = parsed.hostname;
  const listen = config.host.includes(':') ? `[${config.host}]` : config.host;
  const known =
    loopback(name) ||
    name === listen ||
    config.publicHosts.includes(name) ||
    config.publicHosts.includes(parsed.host);
  return known ? `http://${parsed.host}` : config.publicUrl;
}

/** The runtime's signer, writing URLs on the base this request should get. */
export function signerForHost(
  signer: UrlSigner,
  config: PublicUrlConfig,
  host: string | undefined,
): UrlSigner {
  const base = requestPublicUrl(config, host);
  return base === config.publicUrl ? signer : signer.withPublicUrl(base);
}
