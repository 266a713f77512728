import t from 'tap';
import { connectHttp, startHttp, textOf } from './helpers.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** Object.prototype's names as `model` of generate_image: an unknown model the agent can act on. */
t.test('generate_image with every Object.prototype name as model answers model not found', async (t) => {
  const { endpoint } = await startHttp(t);
  const client = await connectHttp(t, endpoint);
  for (const name of Object.getOwnPropertyNames(Object.prototype)) {
    for (const model of [name, `local/${name}`, `${name}/x`]) {
      const result = (await client.callTool({
        name: 'generate_image',
        arguments: { prompt: 'a fox', model },
      })) as CallToolResult;
      t.equal(result.isError, true, model);
      t.match(textOf(result), /code MODEL_NOT_FOUND/, model);
    }
  }
});
