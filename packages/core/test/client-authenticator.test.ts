import t from 'tap';
import { ClientAuthenticationError, ClientAuthenticator, sha256Hex } from '@uig/core';

const clients = [
  { name: 'design', keyHash: sha256Hex('design-key') },
  { name: 'bot', keyHash: sha256Hex('bot-key'), models: ['local/*'] },
];

t.test('open when no keys are configured: any header is ignored', async (t) => {
  const open = new ClientAuthenticator([]);
  t.equal(open.enabled, false);
  t.equal(open.authenticate(undefined), undefined);
  t.equal(open.authenticate('Bearer whatever'), undefined);
});

t.test('a valid Bearer key names its client', async (t) => {
  const auth = new ClientAuthenticator(clients);
  t.equal(auth.authenticate('Bearer bot-key')?.name, 'bot');
  t.equal(auth.authenticate('bearer   design-key ')?.name, 'design');
});

t.test('missing or wrong keys are 401s with distinct codes', async (t) => {
  const auth = new ClientAuthenticator(clients);
  for (const [header, code] of [
    [undefined, 'MISSING_API_KEY'],
    ['Basic abc', 'MISSING_API_KEY'],
    ['Bearer nope', 'INVALID_API_KEY'],
    ['Bearer design-key2', 'INVALID_API_KEY'],
  ] as const) {
    const error = t.throws(() => auth.authenticate(header)) as ClientAuthenticationError;
    t.ok(error instanceof ClientAuthenticationError);
    t.equal(error.status, 401);
    t.equal(error.code, code, String(header));
  }
});
