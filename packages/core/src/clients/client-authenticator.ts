import { timingSafeEqual } from 'node:crypto';
import type { ClientConfig } from '../config/config.js';
import { sha256Hex } from '../config/config.js';
import { ClientAuthenticationError } from '../errors.js';

export interface ClientAuthenticatorOptions {
  /** SHA-256 (hex) of the admin API's key (UIG_ADMIN_KEY). */
  adminKeyHash?: string;
}

interface Entry {
  config: ClientConfig;
  hash: Buffer;
}

const bearer = (authorization: string | undefined) =>
  /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '')?.[1]?.trim();

/**
 * Client keys for REST and MCP-over-HTTP (docs/configuration.md): the fixed ones from
 * UIG_API_KEYS and the config file, and the managed ones of the admin API, which
 * `setManaged`/`removeManaged` change while the process runs (ManagedClientSync).
 *
 * Keys are kept only as SHA-256 hashes. A presented key is hashed and looked up by its
 * digest: the lookup's timing depends on the digest, which an attacker cannot steer
 * towards a stored one without breaking SHA-256, so it tells nothing about how close a
 * guess was — and it costs the same with 100,000 keys as with one (a scan over every
 * hash cost ~0.4 ms a request). The final comparison is constant-time. With no keys
 * (and no admin key) the gateway is open, and any Authorization header is ignored.
 */
export class ClientAuthenticator {
  private readonly byHash = new Map<string, Entry>();
  private readonly byName = new Map<string, Entry>();
  private readonly adminHash: Buffer | undefined;

  constructor(clients: readonly ClientConfig[], options: ClientAuthenticatorOptions = {}) {
    for (const config of clients) this.add(config);
    if (options.adminKeyHash) this.adminHash = Buffer.from(options.adminKeyHash, 'hex');
  }

  /**
   * Key checking is on with any client key, managed ones included, and whenever the admin
   * API is on: otherwise creating the first managed key would close an open gateway.
   */
  get enabled(): boolean {
    return this.byHash.size > 0 || this.adminHash !== undefined;
  }

  /** The admin API is on (UIG_ADMIN_KEY or admin.key). */
  get adminEnabled(): boolean {
    return this.adminHash !== undefined;
  }

  /** Every client: the fixed ones first (env, then config file), then managed ones. */
  get clients(): ClientConfig[] {
    return [...this.byName.values()].map((entry) => entry.config);
  }

  /** The client called `name` (fixed or managed), e.g. for a job whose key was authenticated earlier. */
  clientNamed(name: string): ClientConfig | undefined {
    return this.byName.get(name)?.config;
  }

  /**
   * The client behind an `Authorization: Bearer <key>` header (or a bare key).
   * Undefined when the gateway is open; ClientAuthenticationError (401) otherwise.
   */
  authenticate(authorization: string | undefined): ClientConfig | undefined {
    if (!this.enabled) return undefined;
    const key = bearer(authorization);
    if (!key) {
      throw new ClientAuthenticationError('Missing client key: send Authorization: Bearer <key>.', {
        code: 'MISSING_API_KEY',
      });
    }
    const digest = Buffer.from(sha256Hex(key), 'hex');
    const entry = this.byHash.get(digest.toString('hex'));
    if (!entry || !timingSafeEqual(entry.hash, digest)) {
      throw new ClientAuthenticationError('Invalid client key.', { code: 'INVALID_API_KEY' });
    }
    return entry.config;
  }

  /** Whether the header carries the admin key: hashes of equal length compared in constant time. */
  isAdmin(authorization: string | undefined): boolean {
    const key = bearer(authorization);
    if (!this.adminHash || !key) return false;
    return timingSafeEqual(this.adminHash, Buffer.from(sha256Hex(key), 'hex'));
  }

  /**
   * Adds or replaces a managed client (its key may have changed). A name held by a fixed
   * client is left alone: the config wins, and the admin API refuses such names anyway.
   */
  setManaged(config: ClientConfig): void {
    const current = this.byName.get(config.name);
    if (current && current.config.source !== 'managed') return;
    if (current) this.byHash.delete(current.config.keyHash);
    const other = this.byHash.get(config.keyHash);
    if (other && other.config.source !== 'managed') return;
    if (other) this.byName.delete(other.config.name);
    this.add(config);
  }

  /** Forgets a revoked managed client: its key is refused from now on. */
  removeManaged(name: string): void {
    const current = this.byName.get(name);
    if (current?.config.source !== 'managed') return;
    this.byName.delete(name);
    this.byHash.delete(current.config.keyHash);
  }

  private add(config: ClientConfig): void {
    const entry = { config, hash: Buffer.from(config.keyHash, 'hex') };
    this.byHash.set(config.keyHash, entry);
    this.byName.set(config.name, entry);
  }
}
