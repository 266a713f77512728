import t from 'tap';
import { join } from 'node:path';
import { createDashScopeFake, dashScopeRequests } from '@uig/testkit';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { connectHttp, imageBlocks, startHttp, textOf } from './helpers.js';

/**
 * docs/mcp.md, "Long generations": a call still running after mcp.foregroundTimeoutMs
 * answers a normal result with the job id and a uig://jobs link, the job goes on, and
 * get_image_job returns the images in generate_image's shape.
 */
t.test('past the foreground deadline: a job id now, the images from get_image_job later', async (t) => {
  const fake = await createDashScopeFake({ pendingPolls: 15, runningPolls: 15 }).start();
  t.teardown(() => fake.close());
  const { endpoint } = await startHttp(
    t,
    (dir) => ({
      DASHSCOPE_API_KEY: 'sk-dash',
      DASHSCOPE_BASE_URL: fake.apiBaseURL,
      UIG_MCP_FOREGROUND_TIMEOUT_MS: '300',
      UIG_CONFIG: join(dir, 'uig.json'),
    }),
    {
      files: {
        'uig.json': JSON.stringify({
          providers: { wanx: { options: { pollInitialIntervalMs: 50, pollMaxIntervalMs: 50 } } },
        }),
      },
    },
  );
  const client = await connectHttp(t, endpoint);
  const early = (await client.callTool({
    name: 'generate_image',
    arguments: { prompt: 'a lighthouse', model: 'wanx/wanx2.1-t2i-turbo' },
  })) as CallToolResult;
  t.notOk(early.isError, textOf(early));
  const job = (early.structuredContent as { job?: { id: string; status: string } }).job;
  t.ok(job, 'the result names the job');
  t.match(job!.status, /^(queued|running)$/);
  t.match(textOf(early), /still being made/);
  t.match(textOf(early), /get_image_job/);
  t.same(
    early.content.filter((block) => block.type === 'resource_link').map((block) => block.uri),
    [`uig://jobs/${job!.id}`],
  );
  t.same(imageBlocks(early), []);
  const linked = await client.readResource({ uri: `uig://jobs/${job!.id}` });
  t.match(
    JSON.parse((linked.contents[0] as { text: string }).text),
    {
      id: job!.id,
      status: /^(queued|running)$/,
      result: null,
    },
    'the resource link reads the job as it stands',
  );

  const progress: string[] = [];
  const late = (await client.callTool(
    { name: 'get_image_job', arguments: { job_id: job!.id, wait_seconds: 20 } },
    undefined,
    { onprogress: (event) => progress.push(event.message ?? '') },
  )) as CallToolResult;
  t.notOk(late.isError, textOf(late));
  const structured = late.structuredContent as { images: { id: string }[]; job?: unknown; model: string };
  t.equal(structured.images.length, 1);
  t.equal(structured.model, 'wanx/wanx2.1-t2i-turbo');
  t.notOk(structured.job, 'no job field once done');
  t.equal(imageBlocks(late).length, 1);
  t.equal(fake.requests.filter(dashScopeRequests.create).length, 1, 'one vendor task for the whole story');

  const missing = (await client.callTool({
    name: 'get_image_job',
    arguments: { job_id: 'job_0123456789abcdef01234567' },
  })) as CallToolResult;
  t.equal(missing.isError, true);
  t.match(textOf(missing), /JOB_NOT_FOUND/);
});
