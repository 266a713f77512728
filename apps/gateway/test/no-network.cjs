// Preloaded (NODE_OPTIONS=--require) into a command a test runs to show it works offline:
// any TCP connection it tries is refused and reported on stderr. Local (Unix socket) IPC
// is left alone.
const net = require('node:net');
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] };
  if (options.path === undefined) {
    process.stderr.write(`uig-test: network attempt to ${options.host ?? 'localhost'}:${options.port}\n`);
    throw new Error('network is off for this command');
  }
  return connect.apply(this, args);
};
