import t, { type Test } from 'tap';
import { join } from 'node:path';
import { loadConfig, type Env } from '@uig/core';
import { createRuntime, providerPlugins, type Runtime } from '@uig/runtime';
import { postgresUrl } from '../../../packages/core/test/postgres-server.js';
import { createDashScopeFake, dashScopeRequests, dashScopeTriggers, type DashScopeFake } from '@uig/testkit';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { ResponseMessage } from '@modelcontextprotocol/sdk/experimental/tasks';
import {
  CallToolResultSchema,
  type CallToolResult,
  type Progress,
  type Task,
} from '@modelcontextprotocol/sdk/types.js';
import { buildServer, createMcpDependencies, loadMcpSettings, silentLogger } from '../src/index.js';
import { connectHttp, imageBlocks, startHttp, textOf, waitFor } from './helpers.js';

/**
 * docs/mcp.md, "MCP tasks": generate_image and edit_image declare task support
 * `optional`; a client that asks for a task gets a job of the gateway's queue as the
 * task (tasks/get, tasks/result, tasks/cancel, tasks/list), through the SDK's
 * experimental client API; an ordinary call answers as before.
 */
const wanxModel = 'wanx/wanx2.1-t2i-turbo';
const wanxConfig = JSON.stringify({
  providers: { wanx: { options: { pollInitialIntervalMs: 20, pollMaxIntervalMs: 20 } } },
  clients: [
    { name: 'alice', key: 'alice-key' },
    { name: 'bob', key: 'bob-key', models: ['local/*'] },
  ],
});
const wanxEnv = (fake: DashScopeFake) => (dir: string) => ({
  DASHSCOPE_API_KEY: 'sk-dash',
  DASHSCOPE_BASE_URL: fake.apiBaseURL,
  UIG_CONFIG: join(dir, 'uig.json'),
});

/** The server as stdio runs it (one McpServer for the process), over the SDK's in-memory transport. */
async function connectInMemory(
  t: Test,
  env: (dir: string) => Env,
): Promise<{ client: Client; runtime: Runtime }> {
  const dataDir = t.testdir({ 'uig.json': wanxConfig });
  // The usage store on the test PostgreSQL cluster, as startHttp does: the embedded PGlite
  // opening in this process would hold its event loop for seconds, and this test times a cancel.
  const fullEnv: Env = { UIG_DATA_DIR: dataDir, UIG_DATABASE_URL: await postgresUrl(t), ...env(dataDir) };
  // stdio has no client key: drop the clients, as `uig mcp` on stdio runs open.
  const config = { ...loadConfig({ env: fullEnv, plugins: providerPlugins, cwd: dataDir }), clients: [] };
  const runtime = createRuntime(config, { jobPollMs: 50 });
  const settings = loadMcpSettings({ env: fullEnv, config, transport: 'stdio', cwd: dataDir });
  const server = buildServer(
    createMcpDependencies({ runtime, settings, env: fullEnv, logger: silentLogger, cwd: dataDir }),
  );
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'uig-test', version: '1.0.0' });
  await client.connect(clientTransport);
  t.teardown(async () => {
    await client.close();
    await server.close();
    await runtime.close();
  });
  return { client, runtime };
}

/** Starts a task-augmented call; answers its CreateTaskResult's task and the rest of the stream. */
async function startTask(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  onprogress?: (progress: Progress) => void,
) {
  const stream = client.experimental.tasks.callToolStream({ name, arguments: args }, CallToolResultSchema, {
    task: { ttl: 60_000 },
    ...(onprogress ? { onprogress } : {}),
  });
  const first = await stream.next();
  const message = first.value as ResponseMessage<CallToolResult>;
  if (message?.type !== 'taskCreated')
    throw new Error(`expected taskCreated, got ${JSON.stringify(message)}`);
  const rest = async () => {
    const messages: ResponseMessage<CallToolResult>[] = [];
    for await (const next of stream) messages.push(next);
    return messages;
  };
  return { task: message.task, rest };
}

const resultOf = (messages: ResponseMessage<CallToolResult>[]) => {
  const last = messages.at(-1);
  if (last?.type !== 'result') throw new Error(`expected a result, got ${JSON.stringify(last)}`);
  return last.result;
};

const readJob = async (client: Client, id: string) => {
  const read = await client.readResource({ uri: `uig://jobs/${id}` });
  const content = read.contents[0] as { text: string; mimeType: string };
  return { mimeType: content.mimeType, job: JSON.parse(content.text) as Record<string, unknown> };
};

t.test(
  'in memory (as on stdio): a task is a job; get, result, list; an ordinary call is unchanged',
  async (t) => {
    const fake = await createDashScopeFake({ pendingPolls: 3, runningPolls: 3 }).start();
    t.teardown(() => fake.close());
    const { client, runtime } = await connectInMemory(t, wanxEnv(fake));

    t.ok(
      client.getServerCapabilities()?.tasks?.requests?.tools?.call,
      'the server offers tools/call as tasks',
    );
    const { tools } = await client.listTools();
    const support = Object.fromEntries(tools.map((tool) => [tool.name, tool.execution?.taskSupport]));
    t.equal(support.generate_image, 'optional');
    t.equal(support.edit_image, 'optional');
    t.equal(support.generate_image_from_text, 'optional', 'the seed tools too');
    t.equal(support.transform_image_from_url, 'optional');
    t.not(support.list_models, 'optional');

    const progress: string[] = [];
    const { task, rest } = await startTask(
      client,
      'generate_image',
      { prompt: 'a lighthouse', model: wanxModel },
      (event) => progress.push(event.message ?? ''),
    );
    t.match(task.taskId, /^job_/, 'the task id is the job id');
    t.equal(task.status, 'working');
    t.ok(task.pollInterval, 'a poll interval is suggested');
    const messages = await rest();
    t.ok(
      messages.some((message) => message.type === 'taskStatus'),
      'the client polled tasks/get',
    );
    const result = resultOf(messages);
    t.notOk(result.isError, textOf(result));
    t.equal((result.structuredContent as { images: unknown[] }).images.length, 1);
    t.equal(imageBlocks(result).length, 1);

    const job = await runtime.jobs.get(task.taskId);
    t.equal(job?.status, 'succeeded', 'the same record is in the job store');
    t.equal(job?.origin.door, 'mcp');
    const done = await client.experimental.tasks.getTask(task.taskId);
    t.equal(done.status, 'completed');
    t.match(done.statusMessage, /1 image/);
    const again = await client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
    t.equal(
      (again.structuredContent as { images: unknown[] }).images.length,
      1,
      'tasks/result can be asked again',
    );
    const listed = await client.experimental.tasks.listTasks();
    t.ok(
      listed.tasks.some(
        (listedTask: Task) => listedTask.taskId === task.taskId && listedTask.status === 'completed',
      ),
    );
    t.equal(fake.requests.filter(dashScopeRequests.create).length, 1, 'one vendor task');
    t.match(progress[0], /^Image task job_/, "progress on the task's token, after CreateTaskResult");
    t.ok(
      progress.some((message) => !message.startsWith('Image task')),
      `the vendor's progress too: ${progress.join(' | ')}`,
    );

    const { mimeType, job: view } = await readJob(client, task.taskId);
    t.equal(mimeType, 'application/json');
    t.match(view, { id: task.taskId, object: 'image.job', status: 'succeeded', model: wanxModel });
    const images = (view.result as { images: { id: string; uri: string }[] }).images;
    t.equal(images[0]!.uri, `uig://images/${images[0]!.id}`);
    await t.rejects(client.readResource({ uri: 'uig://jobs/job_0123456789abcdef01234567' }), {
      code: -32002,
    });

    const ordinary = (await client.callTool({
      name: 'generate_image',
      arguments: { prompt: 'a harbour', model: wanxModel },
    })) as CallToolResult;
    t.notOk(ordinary.isError, textOf(ordinary));
    t.equal(
      (ordinary.structuredContent as { images: unknown[] }).images.length,
      1,
      'the images, in the call',
    );
    t.notOk(ordinary._meta?.['io.modelcontextprotocol/related-task'], 'no task involved');
    t.equal(fake.requests.filter(dashScopeRequests.create).length, 2);
  },
);

t.test('in memory: tasks/cancel cancels the job and the pending WanX task at the vendor', async (t) => {
  const fake = await createDashScopeFake().start();
  t.teardown(() => fake.close());
  const { client, runtime } = await connectInMemory(t, wanxEnv(fake));
  const { task } = await startTask(client, 'generate_image', {
    prompt: `a lighthouse ${dashScopeTriggers.stuckPending}`,
    model: wanxModel,
  });
  t.ok(await waitFor(() => fake.tasks.size === 1), 'the vendor task exists');
  const cancelled = await client.experimental.tasks.cancelTask(task.taskId);
  t.equal(cancelled.status, 'cancelled');
  t.equal(fake.requests.filter(dashScopeRequests.cancel).length, 1, 'the vendor task was cancelled');
  t.equal([...fake.tasks.values()][0]!.canceled, true);
  t.equal((await runtime.jobs.get(task.taskId))?.status, 'cancelled');
  t.equal((await client.experimental.tasks.getTask(task.taskId)).status, 'cancelled');
  await t.rejects(
    client.experimental.tasks.cancelTask(task.taskId),
    { code: -32602 },
    'a finished task cannot be cancelled',
  );
  const result = await client.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
  t.equal(result.isError, true);
  t.match(textOf(result), /CANCELLED/);
});

t.test("in memory: tasks/list pages the key's jobs 50 at a time", async (t) => {
  const fake = await createDashScopeFake().start();
  t.teardown(() => fake.close());
  const { client, runtime } = await connectInMemory(t, wanxEnv(fake));
  const ids: string[] = [];
  for (let index = 0; index < 52; index++) {
    const job = await runtime.jobs.submit({
      client: 'anonymous',
      request: {
        kind: 'generate',
        prompt: `cat ${index}`,
        n: 1,
        images: [],
        providerOptions: {},
        model: 'local/placeholder',
      },
      origin: {},
    });
    ids.unshift(job.id);
  }
  const first = await client.experimental.tasks.listTasks();
  t.equal(first.tasks.length, 50);
  t.ok(first.nextCursor, 'a cursor to the rest');
  const second = await client.experimental.tasks.listTasks(first.nextCursor);
  t.equal(second.tasks.length, 2);
  t.notOk(second.nextCursor);
  t.same(new Set([...first.tasks, ...second.tasks].map((task: Task) => task.taskId)), new Set(ids));
  await t.rejects(client.experimental.tasks.listTasks('not-a-cursor'), { code: -32602 });
});

t.test('Streamable HTTP: tasks per key, a refusal is a failed task, cancel reaches the vendor', async (t) => {
  const fake = await createDashScopeFake({ pendingPolls: 20, runningPolls: 5 }).start();
  t.teardown(() => fake.close());
  const { endpoint } = await startHttp(t, wanxEnv(fake), {
    files: { 'uig.json': wanxConfig },
    runtime: { jobPollMs: 50 },
  });
  const alice = await connectHttp(t, endpoint, 'alice-key');
  const bob = await connectHttp(t, endpoint, 'bob-key');

  const { task } = await startTask(alice, 'generate_image', { prompt: 'a lighthouse', model: wanxModel });
  t.equal(task.status, 'working');
  await t.rejects(bob.experimental.tasks.getTask(task.taskId), { code: -32602 }, 'another key: not found');
  await t.rejects(bob.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema), { code: -32602 });
  await t.rejects(bob.experimental.tasks.cancelTask(task.taskId), { code: -32602 });
  await t.rejects(bob.readResource({ uri: `uig://jobs/${task.taskId}` }), { code: -32002 });
  t.notOk(
    (await bob.experimental.tasks.listTasks()).tasks.some((listed: Task) => listed.taskId === task.taskId),
  );
  t.equal((await readJob(alice, task.taskId)).job.id, task.taskId, 'the owner reads the job resource');

  // tasks/result waits for the end, on a fresh server per POST.
  const result = await alice.experimental.tasks.getTaskResult(task.taskId, CallToolResultSchema);
  t.notOk(result.isError, textOf(result));
  t.equal((result.structuredContent as { images: unknown[] }).images.length, 1);
  t.equal((await alice.experimental.tasks.getTask(task.taskId)).status, 'completed');
  t.ok(
    (await alice.experimental.tasks.listTasks()).tasks.some((listed: Task) => listed.taskId === task.taskId),
  );

  // bob may use local/* only: refused before any job, the task is failed at once.
  const refused = await startTask(bob, 'generate_image', { prompt: 'a lighthouse', model: wanxModel });
  t.equal(refused.task.status, 'failed');
  t.match(refused.task.statusMessage, /MODEL_NOT_ALLOWED/);
  const refusal = await bob.experimental.tasks.getTaskResult(refused.task.taskId, CallToolResultSchema);
  t.equal(refusal.isError, true);
  t.match(textOf(refusal), /MODEL_NOT_ALLOWED/);
  await t.rejects(alice.experimental.tasks.getTask(refused.task.taskId), { code: -32602 });

  const stuck = await startTask(alice, 'generate_image', {
    prompt: `a lighthouse ${dashScopeTriggers.stuckPending}`,
    model: wanxModel,
  });
  t.ok(await waitFor(() => fake.tasks.size === 2), 'the second vendor task exists');
  t.equal((await bob.experimental.tasks.listTasks()).tasks.length, 1, 'bob lists only his refused call');
  const cancelled = await alice.experimental.tasks.cancelTask(stuck.task.taskId);
  t.equal(cancelled.status, 'cancelled');
  t.equal(fake.requests.filter(dashScopeRequests.cancel).length, 1, 'the vendor task was cancelled');
  t.equal(fake.requests.filter(dashScopeRequests.create).length, 2, 'one vendor task per job');
});
