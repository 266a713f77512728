import t from 'tap';
import { connect } from 'node:net';
import { startGateway } from './helpers.js';

/**
 * server.requestTimeoutMs: a body that trickles in (a byte now and then) gets a 408 and
 * its connection closed soon after the deadline, instead of holding a socket forever.
 */
t.test('a slow request body gets a 408 and the connection is closed after requestTimeoutMs', async (t) => {
  const { url } = await startGateway(
    t,
    {},
    { listen: true, configFile: { server: { requestTimeoutMs: 600 } } },
  );
  const { port } = new URL(url);
  const started = Date.now();
  const socket = connect(Number(port), '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  socket.write(
    'POST /v1/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
  );
  // One more byte every 100 ms: never idle, never complete.
  const trickle = setInterval(() => socket.write(' '), 100);
  t.teardown(() => {
    clearInterval(trickle);
    socket.destroy();
  });
  await new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const elapsed = Date.now() - started;
  t.match(answer, /^HTTP\/1\.1 408/, '408 Request Timeout');
  t.ok(elapsed >= 550, `not before the deadline (${elapsed} ms)`);
  t.ok(elapsed < 600 + 1000, `closed soon after it (${elapsed} ms)`);
});

t.test('the default is 60 s, and headers time out no later than the request', async (t) => {
  const { runtime } = await startGateway(t);
  t.equal(runtime.config.requestTimeoutMs, 60_000);
  t.equal(runtime.config.headersTimeoutMs, 60_000);
  const custom = await startGateway(
    t,
    {},
    { configFile: { server: { requestTimeoutMs: 5000, headersTimeoutMs: 9000 } } },
  );
  t.equal(custom.runtime.config.headersTimeoutMs, 5000);
});
