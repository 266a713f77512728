import { timingSafeEqual } from 'node:crypto';
import type { ClientConfig } from '../config/config.js';
import { sha256Hex } from '../config/config.js';
import { ClientAuthenticationError } from '../errors.js';

/**
 * Client keys for REST and MCP-over-HTTP (docs/configuration.md). Keys are kept only as SHA-256
 * hashes. A presented key is hashed and looked up by its digest: the lookup's timing
 * depends on the digest, which an attacker cannot steer towards a stored one without
 * breaking SHA-256, so it tells nothing about how close a guess was — and it costs the
 * same with 10,000 keys as with one (a scan over every hash cost ~0.4 ms a request).
 * The final comparison is constant-time. With no keys configured the gateway is open,
 * and any Authorization header is ignored.
 */
export class ClientAuthenticator {
  private readonly byHash = new Map<string, { config: ClientConfig; hash: Buffer }>();

  constructor(clients: readonly ClientConfig[]) {
    for (const config of clients)
      this.byHash.set(config.keyHash, { config, hash: Buffer.from(config.keyHash, 'hex') });
  }

  get enabled(): boolean {
    return this.byHash.size > 0;
  }

  /**
   * The client behind an `Authorization: Bearer <key>` header (or a bare key).
   * Undefined when the gateway is open; ClientAuthenticationError (401) otherwise.
   */
  authenticate(authorization: string | undefined): ClientConfig | undefined {
    if (!this.enabled) return undefined;
    const key = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '')?.[1]?.trim();
    if (!key) {
      throw new ClientAuthenticationError('Missing client key: send Authorization: Bearer <key>.', {
        code: 'MISSING_API_KEY',
      });
    }
    const digest = sha256Hex(key);
    const entry = this.byHash.get(digest);
    if (!entry || !timingSafeEqual(entry.hash, Buffer.from(digest, 'hex'))) {
      throw new ClientAuthenticationError('Invalid client key.', { code: 'INVALID_API_KEY' });
    }
    return entry.config;
  }
}
