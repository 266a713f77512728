import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';

/**
 * Child process: the floor for any gateway — a pass-through forwarder in a few lines
 * on undici's connection pool. It reads nothing, parses nothing and streams both
 * bodies through. Arguments: the upstream origin (`http://127.0.0.1:<port>`)
 * and the port to listen on.
 */
const [upstreamBase, port] = process.argv.slice(2);
if (!upstreamBase || !port) throw new Error('usage: minimal-forwarder.js <upstream base URL> <port>');
const upstream = new URL(upstreamBase);
// No cap on connections, as uig's pool has none: with a 3 s vendor, 2,000 requests wait at once.
const pool = new Pool(upstream.origin, { connections: null });
// Hop-by-hop headers belong to one connection, not to the request (RFC 9110 §7.6.1).
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'host',
  'proxy-connection',
]);
const endToEnd = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !hopByHop.has(name)));

const server = createServer((request, response) => {
  pool
    .stream(
      {
        method: request.method as 'POST',
        path: upstream.pathname.replace(/\/$/, '') + request.url,
        headers: endToEnd(request.headers) as Record<string, string>,
        body: request,
      },
      ({ statusCode, headers }) => response.writeHead(statusCode, endToEnd(headers)),
    )
    .catch((error: Error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: error.message } }));
    });
});
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.close().then(() => process.exit(0));
});
