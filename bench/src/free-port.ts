import { createServer } from 'node:net';

/**
 * A loopback port nobody listens on right now. Uig and Portkey take their port as a
 * setting rather than reporting the one the OS picked, so the runner picks it first.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('freePort: no TCP address');
  return address.port;
}
