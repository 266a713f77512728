import { loadPlaygroundAssets, type PlaygroundAssets } from '@uig/playground';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

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
  const page = {
    summary: 'The playground and gallery',
    description: 'A web page that asks for a client key and generates, edits and lists images with it.',
    operationId: 'playground',
    tags: ['docs'],
    security: [],
    response: { 200: { description: 'HTML.', content: { 'text/html': { schema: z.string() } } } },
  };
  // The page's own script and style: not API, so not in the document.
  const asset = { hide: true };
  app.get('/', { config, schema: page }, async (_request, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', policy)
      .header('cache-control', 'no-cache')
      .send((await load()).html),
  );
  app.get('/playground/app.js', { config, schema: asset }, async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send((await load()).script),
  );
  app.get('/playground/app.css', { config, schema: asset }, async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send((await load()).css),
  );
}
