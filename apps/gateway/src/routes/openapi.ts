import type { FastifyInstance } from 'fastify';
import { docsHtml, docsScript } from '../docs-page.js';
import { buildOpenApiDocument } from '../openapi-document.js';

/** GET /openapi.json, generated once from the zod schemas; GET /docs renders it offline. */
export async function openapiRoutes(app: FastifyInstance): Promise<void> {
  const config = { access: 'public' } as const;
  let document: string | undefined;
  app.get('/openapi.json', { config }, async (_request, reply) => {
    document ??= JSON.stringify(buildOpenApiDocument());
    return reply.header('content-type', 'application/json; charset=utf-8').send(document);
  });
  const policy =
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:";
  app.get('/docs', { config }, async (_request, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', policy)
      .send(docsHtml),
  );
  app.get('/docs/docs.js', { config }, async (_request, reply) =>
    reply.header('content-type', 'text/javascript; charset=utf-8').send(docsScript),
  );
}
