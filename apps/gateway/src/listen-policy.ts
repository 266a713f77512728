import { isIP } from 'node:net';
import type { UigConfig } from '@uig/core';

/**
 * With no client keys the gateway is open: anyone who can reach it can spend the
 * configured vendor credits. So an open gateway may only listen on loopback (docs/configuration.md).
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === 'ip6-localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(bare);
  return false;
}

/** Why the gateway must not start with this configuration, or undefined when it may. */
export function listenRefusal(config: Pick<UigConfig, 'host' | 'clients' | 'admin'>): string | undefined {
  // The admin key turns key checking on (ClientAuthenticator.enabled): keys come from the admin API.
  if (config.clients.length > 0 || config.admin.keyHash || isLoopbackHost(config.host)) return undefined;
  return (
    `refusing to listen on ${config.host} without client keys: the gateway would be open to anyone who can reach it. ` +
    'Set UIG_API_KEYS (or clients in the UIG_CONFIG file, or UIG_ADMIN_KEY to manage keys through the admin API), or listen on loopback (HOST=127.0.0.1).'
  );
}
