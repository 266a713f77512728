import t, { type Test } from 'tap';
import { startGateway } from './helpers.js';
import { scriptedPlugin } from './scripted-provider.js';

async function gateway(t: Test, env: Record<string, string> = {}) {
  return startGateway(
    t,
    { SCRIPTED_API_KEY: 'v', UIG_API_KEYS: 'sk-one', ...env },
    { plugins: [scriptedPlugin().plugin] },
  );
}

async function makeImage(app: Awaited<ReturnType<typeof gateway>>['app']) {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/images',
    headers: { authorization: 'Bearer sk-one' },
    payload: { prompt: 'a fox' },
  });
  const image = response.json().data[0] as { id: string; url: string };
  const url = new URL(image.url);
  return {
    id: image.id,
    path: url.pathname,
    expires: url.searchParams.get('expires')!,
    signature: url.searchParams.get('signature')!,
  };
}

t.test('a signed URL serves the image without a key, with ETag and caching headers', async (t) => {
  const { app } = await gateway(t);
  const { id, path, expires, signature } = await makeImage(app);
  const response = await app.inject({
    method: 'GET',
    url: `${path}?expires=${expires}&signature=${signature}`,
  });
  t.equal(response.statusCode, 200);
  t.equal(response.headers['content-type'], 'image/png');
  t.equal(response.headers.etag, `"${id}"`);
  t.match(response.headers['cache-control'], /private.*max-age=\d+.*immutable/);
  t.equal(response.headers['x-content-type-options'], 'nosniff');
  t.equal(Number(response.headers['content-length']), response.rawPayload.length);
  const cached = await app.inject({
    method: 'GET',
    url: `${path}?expires=${expires}&signature=${signature}`,
    headers: { 'if-none-match': `"other", "${id}"` },
  });
  t.equal(cached.statusCode, 304);
  t.equal(cached.rawPayload.length, 0);
  const head = await app.inject({ method: 'HEAD', url: `${path}?expires=${expires}&signature=${signature}` });
  t.equal(head.statusCode, 200);
});

t.test('without a valid signature a client key is needed; bad signatures are 403s', async (t) => {
  // An hour ago: URLs this signer makes with a 600 s lifetime have already expired.
  const now = Date.now() - 3_600_000;
  const scripted = scriptedPlugin();
  const { app, runtime } = await startGateway(
    t,
    { SCRIPTED_API_KEY: 'v', UIG_API_KEYS: 'sk-one', UIG_SIGNED_URL_TTL_SECONDS: '600' },
    { plugins: [scripted.plugin] },
  );
  // Sign with a clock the test controls (same secret as the runtime's signer).
  const { UrlSigner } = await import('@uig/runtime');
  const signer = new UrlSigner(
    runtime.config.signingSecret,
    runtime.config.publicUrl,
    runtime.config.signedUrlTtlSeconds,
    () => now,
  );
  const { id } = await makeImage(app);
  const signedPath = signer.signedPath(id);
  t.match(
    signedPath,
    new RegExp(`expires=${Math.floor(now / 1000) + 600}&`),
    'the lifetime is UIG_SIGNED_URL_TTL_SECONDS',
  );

  const plain = `/v1/images/${id}/content`;
  const noKey = await app.inject({ method: 'GET', url: plain });
  t.equal(noKey.statusCode, 401);
  t.match(noKey.json(), { error: { code: 'missing_api_key' } });
  t.equal(
    (await app.inject({ method: 'GET', url: plain, headers: { authorization: 'Bearer sk-one' } })).statusCode,
    200,
    'a client key is enough',
  );
  t.equal(
    (await app.inject({ method: 'GET', url: plain, headers: { authorization: 'Bearer sk-two' } })).statusCode,
    401,
  );

  const expired = await app.inject({ method: 'GET', url: signedPath });
  t.equal(expired.statusCode, 403);
  t.match(expired.json(), {
    error: { type: 'permission_error', code: 'signature_expired', param: 'expires' },
  });
  t.equal(
    (await app.inject({ method: 'GET', url: signedPath, headers: { authorization: 'Bearer sk-one' } }))
      .statusCode,
    200,
    'an expired URL plus a key is fine',
  );

  const fresh = runtime.signer.signedPath(id);
  const tampered = fresh.replace(/signature=./, (match) =>
    match.endsWith('A') ? `${match.slice(0, -1)}B` : `${match.slice(0, -1)}A`,
  );
  const forged = await app.inject({ method: 'GET', url: tampered });
  t.equal(forged.statusCode, 403);
  t.match(forged.json(), { error: { code: 'invalid_signature', param: 'signature' } });
  const otherImage = fresh.replace(id, 'f'.repeat(32));
  t.equal(
    (await app.inject({ method: 'GET', url: otherImage })).statusCode,
    403,
    'a signature is for one id only',
  );
  const longer = fresh.replace(/expires=(\d+)/, (_match, value: string) => `expires=${Number(value) + 3600}`);
  t.equal((await app.inject({ method: 'GET', url: longer })).statusCode, 403, 'the expiry is signed too');
});

t.test('an unknown id is a 404, signed or with a key', async (t) => {
  const { app, runtime } = await gateway(t);
  const id = 'a'.repeat(32);
  const signed = await app.inject({ method: 'GET', url: runtime.signer.signedPath(id) });
  t.equal(signed.statusCode, 404);
  t.match(signed.json(), { error: { type: 'not_found_error', code: 'image_not_found', param: 'id' } });
  t.equal(
    (
      await app.inject({
        method: 'GET',
        url: `/v1/images/${id}/content`,
        headers: { authorization: 'Bearer sk-one' },
      })
    ).statusCode,
    404,
  );
  t.equal(
    (
      await app.inject({
        method: 'GET',
        url: '/v1/images/not-an-id/content',
        headers: { authorization: 'Bearer sk-one' },
      })
    ).statusCode,
    404,
  );
});

t.test('an open gateway serves content to anyone', async (t) => {
  const { app } = await startGateway(t, { SCRIPTED_API_KEY: 'v' }, { plugins: [scriptedPlugin().plugin] });
  const response = await app.inject({ method: 'POST', url: '/v1/images', payload: { prompt: 'a fox' } });
  t.equal(
    (await app.inject({ method: 'GET', url: `/v1/images/${response.json().data[0].id}/content` })).statusCode,
    200,
  );
});
