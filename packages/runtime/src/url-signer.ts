import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Image URLs handed out in responses work without the client key: they carry an
 * expiry and an HMAC-SHA256 of `id.expiry` under the gateway's signing secret
 * (UIG_SIGNING_SECRET; random per process when unset, so URLs then die with it).
 */
export type SignatureVerdict = 'valid' | 'expired' | 'invalid' | 'absent';

export class UrlSigner {
  constructor(
    private readonly secret: string,
    private readonly publicUrl: string,
    readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  private signature(id: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${id}.${expires}`).digest('base64url');
  }

  /** The same signer, writing URLs under another base (the Host a request named: public-url.ts). */
  withPublicUrl(publicUrl: string): UrlSigner {
    return new UrlSigner(this.secret, publicUrl, this.ttlSeconds, this.now);
  }

  /** The path and query of a signed URL for the stored image, valid for the configured lifetime. */
  signedPath(id: string): string {
    const expires = Math.floor(this.now() / 1000) + this.ttlSeconds;
    return `/v1/images/${id}/content?expires=${expires}&signature=${this.signature(id, expires)}`;
  }

  /** An absolute URL for the stored image, valid for the configured lifetime. */
  sign(id: string): string {
    return `${this.publicUrl}${this.signedPath(id)}`;
  }

  /**
   * What the query's expiry and signature say about access to the id right now. A
   * tampered signature is `invalid` whether or not its expiry has passed; `expired`
   * means the signature was genuine.
   */
  check(id: string, expires: string | undefined, signature: string | undefined): SignatureVerdict {
    if (expires === undefined && signature === undefined) return 'absent';
    if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return 'invalid';
    const expected = Buffer.from(this.signature(id, Number(expires)));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return Number(expires) * 1000 < this.now() ? 'expired' : 'valid';
  }

  /** Does this expiry and signature grant access to the id right now? */
  verify(id: string, expires: string | undefined, signature: string | undefined): boolean {
    return this.check(id, expires, signature) === 'valid';
  }
}
