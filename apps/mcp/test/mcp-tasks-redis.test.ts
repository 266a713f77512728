import t, { type Test } from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Env } from '@uig/core';
import { createRuntime, providerPlugins } from '@uig/runtime';
import { createDashScopeFake, dashScopeRequests, dashScopeTriggers } from '@uig/testkit';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ResponseMessage } from '@modelcontextprotocol/sdk/experimental/tasks';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startRedis } from '../../../packages/core/test/redis-server.js';
import { loadMcpSettings, silentLogger, startHttpServer } from '../src/index.js';
import { connectHttp, textOf, waitFor } from './helpers.js';

/**
 * docs/mcp.md, "MCP tasks": with UIG_REDIS_URL the tasks are BullMQ jobs, so any
 * instance answers tasks/get, tasks/result and tasks/cancel for a task another one
 * created, and only to the key that made it.
 */
async function instance(t: Test, env: Env, dataDir: string) {
  const config = loadConfig({ env, plugins: providerPlugins, cwd: dataDir });
  const runtime = createRuntime(config);
  const settings = loadMcpSettings({ env, config, transport: 'http', host: '127.0.0.1', cwd: dataDir });
  const server = await startHttpServer({
    runtime,
    settings,
    env,
    logger: silentLogger,
    host: '127.0.0.1',
    port: 0,
  });
  t.teardown(async () => {
    await server.close();
    await runtime.close();
  });
  return new URL(`${server.url}/mcp`);
}

async function createTask(client: Client, prompt: string) {
  const stream = client.experimental.tasks.callToolStream(
    { name: 'generate_image', arguments: { prompt, model: 'wanx/wanx2.1-t2i-turbo' } },
    CallToolResultSchema,
    { task: { ttl: 60_000 } },
  );
  const first = (await stream.next()).value as ResponseMessage<CallToolResult>;
  await stream.return(undefined);
  if (first?.type !== 'taskCreated') throw new Error(`expected taskCreated, got ${JSON.stringify(first)}`);
  return first.task;
}

t.test('on Redis, another instance answers for a task, to its key only', async (t) => {
  const redis = await startRedis(t);
  const fake = await createDashScopeFake({ pendingPolls: 5, runningPolls: 5 }).start();
  t.teardown(() => fake.close());
  const dir = t.testdir();
  writeFileSync(
    join(dir, 'uig.json'),
    JSON.stringify({
      providers: { wanx: { options: { pollInitialIntervalMs: 20, pollMaxIntervalMs: 20 } } },
      clients: [
        { name: 'alice', key: 'alice-key' },
        { name: 'bob', key: 'bob-key' },
      ],
    }),
  );
  const env: Env = {
    // One image store for both (as S3 would be); the jobs live in Redis.
    UIG_DATA_DIR: join(dir, 'data'),
    UIG_CONFIG: join(dir, 'uig.json'),
    UIG_REDIS_URL: redis.url,
    UIG_SIGNING_SECRET: 'a-secret-both-instances-share',
    DASHSCOPE_API_KEY: 'sk-dash',
    DASHSCOPE_BASE_URL: fake.apiBaseURL,
  };
  const first = await instance(t, env, dir);
  const second = await instance(t, env, dir);
  const aliceOnFirst = await connectHttp(t, first, 'alice-key');
  const aliceOnSecond = await connectHttp(t, second, 'alice-key');
  const bobOnSecond = await connectHttp(t, second, 'bob-key');

  const task = await createTask(aliceOnFirst, 'a lighthouse');
  t.match(task, { status: 'working', taskId: /^job_/ });
  t.ok(await redis.client().exists(`uig:jobs:${task.taskId}`), 'the record is in Redis');
  await t.rejects(bobOnSecond.experimental.tasks.getTask(task.taskId), { code: -32602 }, 'not for bob');
  const result = await aliceOnSecond.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
  t.notOk(result.isError, textOf(result));
  t.equal((result.structuredContent as { images: unknown[] }).images.length, 1, 'the other instance answers');
  t.equal((await aliceOnSecond.experimental.tasks.getTask(task.taskId)).status, 'completed');

  const stuck = await createTask(aliceOnFirst, `a lighthouse ${dashScopeTriggers.stuckPending}`);
  t.ok(await waitFor(() => fake.tasks.size === 2, 10_000), 'the second vendor task exists');
  const cancelled = await aliceOnSecond.experimental.tasks.cancelTask(stuck.taskId);
  t.equal(cancelled.status, 'cancelled', 'cancelled from the other instance');
  t.equal(fake.requests.filter(dashScopeRequests.cancel).length, 1, 'the vendor task was cancelled');
  t.same(
    (await aliceOnFirst.experimental.tasks.listTasks()).tasks.map((listed) => listed.taskId).sort(),
    [task.taskId, stuck.taskId].sort(),
  );
  t.same((await bobOnSecond.experimental.tasks.listTasks()).tasks, []);
});
