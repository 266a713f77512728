import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import type { Credential } from '@uig/core';

/**
 * One SDK client per credential and base URL, made on first use and kept: the SDK
 * client holds no connection state of its own, but building one per request would
 * redo its option parsing and header setup every time.
 */

export interface OpenAIClientSettings {
  fetch: typeof globalThis.fetch;
  organization?: string | undefined;
  project?: string | undefined;
  headers?: Record<string, string> | undefined;
  query?: Record<string, string> | undefined;
  apiKeyHeader?: string | undefined;
}

/**
 * Core owns timeouts (it aborts `call.signal`); the SDK's own timeout (10 min by
 * default, docs/providers/openai.md §2.8) is set above any sensible per-provider timeout so it never cuts first.
 */
const sdkTimeoutMs = 60 * 60 * 1000;

export class OpenAIClientCache {
  private readonly clients = new Map<string, OpenAI>();
  /** Each credential's key fingerprint, computed once (not a sha256 per call). */
  private readonly fingerprints = new WeakMap<Credential, { apiKey: string; fingerprint: string }>();

  constructor(private readonly settings: OpenAIClientSettings) {}

  get size(): number {
    return this.clients.size;
  }

  clientFor(credential: Credential, baseURL: string): OpenAI {
    const fingerprint = this.fingerprintOf(credential);
    const cacheKey = `${credential.id}\n${baseURL}\n${fingerprint}`;
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = this.create(credential.apiKey, baseURL);
      this.clients.set(cacheKey, client);
    }
    return client;
  }

  /** The key's hash, not the key, tells a rotated key from the old one; rehashed only when the key changes. */
  private fingerprintOf(credential: Credential): string {
    const known = this.fingerprints.get(credential);
    if (known && known.apiKey === credential.apiKey) return known.fingerprint;
    const fingerprint = createHash('sha256').update(credential.apiKey).digest('hex').slice(0, 16);
    this.fingerprints.set(credential, { apiKey: credential.apiKey, fingerprint });
    return fingerprint;
  }

  private create(apiKey: string, baseURL: string): OpenAI {
    const { apiKeyHeader } = this.settings;
    return new OpenAI({
      apiKey,
      baseURL,
      // Explicit nulls keep the SDK from reading OPENAI_ORG_ID / OPENAI_PROJECT_ID
      // from the environment, which belong to OpenAI and not to an extra provider.
      organization: this.settings.organization ?? null,
      project: this.settings.project ?? null,
      // Core retries, honouring retry-after (docs/architecture.md); the SDK must not retry too.
      maxRetries: 0,
      timeout: sdkTimeoutMs,
      fetch: this.settings.fetch,
      // At debug level the SDK logs bodies, which hold base64 images (docs/architecture.md).
      logLevel: 'off',
      defaultHeaders: {
        ...this.settings.headers,
        // Azure-style servers take the key in their own header; a null unsets the SDK's Bearer.
        ...(apiKeyHeader ? { [apiKeyHeader]: apiKey, authorization: null } : {}),
      },
      ...(this.settings.query ? { defaultQuery: this.settings.query } : {}),
    });
  }
}
