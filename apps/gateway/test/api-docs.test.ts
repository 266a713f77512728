import t from 'tap';
import { startGateway } from './helpers.js';

/** /docs is Swagger UI from the gateway itself: every asset local, public, "Try it out" on. */
t.test('/docs and every asset it loads come from the gateway, without a key', async (t) => {
  const { app } = await startGateway(t, { UIG_API_KEYS: 'sk-docs' });
  for (const url of ['/docs', '/docs/']) {
    const page = await app.inject({ method: 'GET', url });
    t.equal(page.statusCode, 200, url);
    t.match(page.headers['content-type'], /text\/html/);
    const policy = String(page.headers['content-security-policy']);
    t.match(policy, /script-src 'self'(;|$)/);
    t.notMatch(policy, /https?:|\*/, 'the policy allows no other origin');
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    t.ok(assets.length >= 4, `${url}: the page loads its scripts and styles`);
    for (const asset of assets) {
      t.notMatch(asset, /^(https?:)?\/\//, `${asset} is local`);
      const absolute = new URL(asset, `http://gateway${url}`).pathname;
      const response = await app.inject({ method: 'GET', url: absolute });
      t.equal(response.statusCode, 200, `${absolute} is served without a key`);
      t.ok(response.rawPayload.length > 0, `${absolute} is not empty`);
    }
  }
  const initializer = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
  t.match(initializer.body, /"tryItOutEnabled":\s*true/, 'Try it out is on');
  t.match(initializer.body, /validatorUrl: null/, 'no call to the public validator');
  const bundle = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
  t.match(bundle.headers['content-type'], /javascript/);
  const served = await app.inject({ method: 'GET', url: '/docs/json' });
  const document = await app.inject({ method: 'GET', url: '/openapi.json' });
  t.same(served.json(), document.json(), 'Swagger UI shows the document /openapi.json serves');
  t.equal(
    (await app.inject({ method: 'GET', url: '/v1/models' })).statusCode,
    401,
    'the API still needs a key',
  );
});
