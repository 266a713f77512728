import { loadPlaygroundAssets, type PlaygroundAssets } from '@uig/playground';
import type { FastifyInstance } from 'fastify';

/**
 * GET /: the playground and gallery (packages/playground). Served without a key: the page
 * asks for one and sends it on its own API calls. Everything it loads comes from this
 * gateway (no CDN), which the content security policy states.
 */
export async function playgroundRoutes(app: FastifyInstance): Promise<void> {
  const config = { access: 'public' } as const;
  let assets: Promise<PlaygroundAssets> | undefined;
  const load = () => {
    assets ??= loadPlaygroundAssets();
    return assets;
  };
  const policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'";
  app.get('/', { config }, async (_request, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', policy)
      .header('cache-control', 'no-cache')
      .send((await load()).html),
  );
  app.get('/playground/app.js', { config }, async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send((await load()).script),
  );
  app.get('/playground/app.css', { config }, async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send((await load()).css),
  );
}
