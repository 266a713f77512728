import { randomBytes } from 'node:crypto';
import type { ClientConfig, Limits } from '../config/config.js';
import type { PromptOptimizationMode } from '../prompts/prompt-optimizer.js';

/** A client key created through the admin API (docs/accounting.md#admin-api), as the database holds it. */
export interface ManagedClient {
  /** The client's identity in limits, the ledger, usage and jobs (`ClientConfig.name`). */
  id: string;
  /** A label for people. */
  name: string;
  /** SHA-256 (hex) of the key; the key itself is shown once, at creation, and never stored. */
  keyHash: string;
  limits: Limits;
  /** Globs over `provider/model`; absent: every model. */
  models?: string[];
  promptOptimization?: PromptOptimizationMode;
  createdAt: string;
  updatedAt: string;
  /** Set once the key is revoked; a revoked client is kept (and its id may be created again). */
  revokedAt?: string;
  /** Position in the order of all changes: instances pick up what is newer than they have seen. */
  revision: number;
}

/** What creating a managed client takes; the key hash is made from a fresh key. */
export interface ManagedClientInput {
  id: string;
  name: string;
  limits: Limits;
  models?: string[];
  promptOptimization?: PromptOptimizationMode;
}

/** A PATCH: absent fields stay; `limits` is merged (a `null` limit is removed); `models: null` allows every model. */
export interface ManagedClientChanges {
  name?: string;
  limits?: { [K in keyof Limits]?: Limits[K] | null };
  models?: string[] | null;
  promptOptimization?: PromptOptimizationMode | null;
}

/** The prefix of managed keys, so a leaked one is recognisable (secret scanners, logs). */
export const clientKeyPrefix = 'uig_';

/**
 * A new managed key: `uig_` and 256 random bits in base64url. With that much entropy a
 * plain SHA-256 is enough to store it: nobody can guess a preimage, so the slow hashes
 * made for passwords (bcrypt, scrypt) would only cost every request their ~50 ms of CPU
 * and rule out looking the key up by its hash (docs/accounting.md#admin-api).
 */
export function newClientKey(): string {
  return `${clientKeyPrefix}${randomBytes(32).toString('base64url')}`;
}

/** The managed client as the authenticator and the limiter see every client. */
export function managedClientConfig(client: ManagedClient): ClientConfig {
  return {
    name: client.id,
    source: 'managed',
    keyHash: client.keyHash,
    limits: client.limits,
    ...(client.models ? { models: client.models } : {}),
    ...(client.promptOptimization ? { promptOptimization: client.promptOptimization } : {}),
  };
}
