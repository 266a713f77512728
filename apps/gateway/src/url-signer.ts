import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Image URLs handed out in responses work without the client key: they carry an
 * expiry and an HMAC-SHA256 of `id.expiry` under the gateway's signing secret.
 */
export class UrlSigner {
  constructor(
    private readonly secret: string,
    private readonly publicUrl: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  private signature(id: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${id}.${expires}`).digest('base64url');
  }

  /** An absolute URL for the stored image, valid for the configured lifetime. */
  sign(id: string): string {
    const expires = Math.floor(this.now() / 1000) + this.ttlSeconds;
    return `${this.publicUrl}/v1/images/${id}/content?expires=${expires}&signature=${this.signature(id, expires)}`;
  }

  /** Does this expiry and signature grant access to the id right now? */
  verify(id: string, expires: string | undefined, signature: string | undefined): boolean {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return false;
    if (Number(expires) * 1000 < this.now()) return false;
    const expected = Buffer.from(this.signature(id, Number(expires)));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
