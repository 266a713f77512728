import { NoProviderAvailableError, type UigError } from './errors.js';
import type { Credential } from './provider.js';

/**
 * The upstream keys of one provider. Calls are spread round-robin over the keys in
 * rotation. A key the vendor rejects (401, or quota exhausted) leaves rotation for a
 * cool-down, so later requests stop paying for it; when every key is out, callers
 * get the vendor's own error again (429 insufficient_quota stays a 429), not a guess.
 */
export interface CredentialPoolOptions {
  provider: string;
  credentials: Credential[];
  /** How long a rejected key stays out. Default 5 minutes. */
  cooldownMs?: number;
  now?: () => number;
  /** Told when a key leaves rotation (for the log); never given the key itself. */
  onDisabled?: (credentialId: string, reason: string) => void;
}

const disablingCodes = new Set(['UPSTREAM_AUTHENTICATION', 'INSUFFICIENT_QUOTA']);

export class CredentialPool {
  readonly provider: string;
  readonly credentials: readonly Credential[];
  private readonly disabledUntil = new Map<string, { until: number; error: UigError }>();
  private next = 0;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private readonly onDisabled: CredentialPoolOptions['onDisabled'];

  constructor(options: CredentialPoolOptions) {
    this.provider = options.provider;
    this.credentials = options.credentials;
    this.cooldownMs = options.cooldownMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    this.onDisabled = options.onDisabled;
  }

  private inRotation(credential: Credential): boolean {
    const entry = this.disabledUntil.get(credential.id);
    if (!entry) return true;
    if (entry.until <= this.now()) {
      this.disabledUntil.delete(credential.id);
      return true;
    }
    return false;
  }

  /** Keys currently in rotation. */
  get available(): number {
    return this.credentials.filter((credential) => this.inRotation(credential)).length;
  }

  /** Picks the next key in rotation. */
  acquire(): Credential {
    for (let tried = 0; tried < this.credentials.length; tried++) {
      const credential = this.credentials[this.next++ % this.credentials.length]!;
      if (this.inRotation(credential)) return credential;
    }
    const last = [...this.disabledUntil.values()].at(-1);
    if (last) throw last.error;
    throw new NoProviderAvailableError(`No ${this.provider} credential is configured.`, { provider: this.provider });
  }

  /** Runs one upstream call on a key; takes the key out of rotation when the vendor rejects it. */
  async run<T>(call: (credential: Credential) => Promise<T>): Promise<T> {
    const credential = this.acquire();
    try {
      return await call(credential);
    } catch (error) {
      const uigError = error as UigError;
      if (disablingCodes.has(uigError?.code)) this.disable(credential.id, uigError);
      throw error;
    }
  }

  disable(credentialId: string, error: UigError): void {
    const known = this.disabledUntil.has(credentialId);
    this.disabledUntil.set(credentialId, { until: this.now() + this.cooldownMs, error });
    if (!known) this.onDisabled?.(credentialId, error.code);
  }
}
