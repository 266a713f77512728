import t from 'tap';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectHttp, startHttp, textOf } from './helpers.js';

// The data folder's PGlite database starts from scratch here: seconds on a busy machine.
t.setTimeout(180_000);

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

t.test(
  'MCP over HTTP takes managed keys (admin API) with their models, and refuses them once revoked',
  async (t) => {
    const { endpoint, runtime } = await startHttp(t, { UIG_ADMIN_KEY: 'admin-key-0123456789abcdef' });
    const { key } = await runtime.managedClients.create({
      id: 'agent',
      name: 'An agent',
      limits: {},
      models: ['local/placeholder'],
    });

    const client = await connectHttp(t, endpoint, key);
    const made = (await client.callTool({
      name: 'generate_image',
      arguments: { prompt: 'a fox', model: 'local/placeholder', size: '64x64' },
    })) as CallToolResult;
    t.notOk(made.isError, textOf(made));
    const refused = (await client.callTool({
      name: 'generate_image',
      arguments: { prompt: 'a fox', model: 'local/placeholder-blocks' },
    })) as CallToolResult;
    t.ok(refused.isError, 'the managed key’s model globs apply');
    t.match(textOf(refused), /MODEL_NOT_ALLOWED/);

    await runtime.managedClients.revoke('agent');
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify(initialize),
    });
    t.equal(response.status, 401, 'a revoked key is refused');
    t.match(response.headers.get('www-authenticate'), /invalid_token/);
    await t.rejects(connectHttp(t, endpoint, key), 'the SDK client cannot connect with it');
    await t.rejects(
      connectHttp(t, endpoint, 'admin-key-0123456789abcdef'),
      'the admin key is not a client key',
    );
  },
);
