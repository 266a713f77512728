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

t.test('managed clients join, change key and leave while the process runs; fixed ones stay', async (t) => {
  const auth = new ClientAuthenticator([{ ...clients[0]!, source: 'config' }]);
  auth.setManaged({ name: 'app', source: 'managed', keyHash: sha256Hex('uig_one'), limits: { rpm: 5 } });
  t.equal(auth.authenticate('Bearer uig_one')?.limits?.rpm, 5);
  t.equal(auth.clientNamed('app')?.source, 'managed');

  auth.setManaged({ name: 'app', source: 'managed', keyHash: sha256Hex('uig_two'), limits: { rpm: 7 } });
  t.equal(auth.authenticate('Bearer uig_two')?.limits?.rpm, 7, 'the new key works with the new limits');
  t.throws(() => auth.authenticate('Bearer uig_one'), { code: 'INVALID_API_KEY' }, 'the old key is gone');

  auth.setManaged({ name: 'design', source: 'managed', keyHash: sha256Hex('uig_steal') });
  t.throws(
    () => auth.authenticate('Bearer uig_steal'),
    { code: 'INVALID_API_KEY' },
    'a fixed name is not taken over',
  );
  t.equal(auth.authenticate('Bearer design-key')?.source, 'config');
  auth.removeManaged('design');
  t.equal(auth.authenticate('Bearer design-key')?.name, 'design', 'nor removed');

  auth.removeManaged('app');
  t.throws(() => auth.authenticate('Bearer uig_two'), { code: 'INVALID_API_KEY' });
  t.equal(auth.clientNamed('app'), undefined);
  t.same(
    auth.clients.map((client) => client.name),
    ['design'],
  );
});

t.test(
  'a managed key switches key checking on; the admin key does too and is not a client key',
  async (t) => {
    const auth = new ClientAuthenticator([]);
    auth.setManaged({ name: 'app', source: 'managed', keyHash: sha256Hex('uig_k') });
    t.equal(auth.enabled, true);
    t.throws(() => auth.authenticate(undefined), { code: 'MISSING_API_KEY' });
    auth.removeManaged('app');
    t.equal(auth.enabled, false, 'open again once the last one is revoked');

    const admin = new ClientAuthenticator([], { adminKeyHash: sha256Hex('the-admin-key-0123') });
    t.equal(admin.enabled, true);
    t.equal(admin.adminEnabled, true);
    t.equal(admin.isAdmin('Bearer the-admin-key-0123'), true);
    t.equal(admin.isAdmin('bearer  the-admin-key-0123 '), true);
    for (const header of [undefined, '', 'Bearer the-admin-key-012', 'Bearer x', 'the-admin-key-0123'])
      t.equal(admin.isAdmin(header), false, String(header));
    t.throws(() => admin.authenticate('Bearer the-admin-key-0123'), { code: 'INVALID_API_KEY' });
    t.equal(new ClientAuthenticator([]).isAdmin('Bearer anything'), false, 'no admin key: nobody is admin');
  },
);
