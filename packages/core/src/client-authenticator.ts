import { timingSafeEqual } from 'node:crypto';
import type { ClientConfig } from './config.js';
import { sha256Hex } from './config.js';
import { ClientAuthenticationError } from './errors.js';

/**
 * Client keys for REST and MCP-over-HTTP (DESIGN §3). Keys are kept only as SHA-256
 * hashes and compared in constant time against every configured hash, so neither
 * timing nor an early exit tells which key was close. With no keys configured the
 * gateway is open, and any Authorization header is ignored.
 */
export class ClientAuthenticator {
  private readonly clients: { config: ClientConfig; hash: Buffer }[];

  constructor(clients: readonly ClientConfig[]) {
    this.clients = clients.map((config) => ({ config, hash: Buffer.from(config.keyHash, 'hex') }));
  }

  get enabled(): boolean {
    return this.clients.length > 0;
  }

  /**
   * The client behind an `Authorization: Bearer <key>` header (or a bare key).
   * Undefined when the gateway is open; ClientAuthenticationError (401) otherwise.
   */
  authenticate(authorization: string | undefined): ClientConfig | undefined {
    if (!this.enabled) return undefined;
    const key = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '')?.[1]?.trim();
    if (!key) {
      throw new ClientAuthenticationError('Missing client key: send Authorization: Bearer <key>.', { code: 'MISSING_API_KEY' });
    }
    const given = Buffer.from(sha256Hex(key), 'hex');
    let match: ClientConfig | undefined;
    for (const client of this.clients) {
      if (timingSafeEqual(client.hash, given) && !match) match = client.config;
    }
    if (!match) throw new ClientAuthenticationError('Invalid client key.', { code: 'INVALID_API_KEY' });
    return match;
  }
}
