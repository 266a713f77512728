import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDashScopeFake, dashScopeRequests } from '@uig/testkit';
import { startRedis } from '../../../packages/core/test/redis-server.js';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.js';

/**
 * Jobs on BullMQ with two gateway instances on one redis-server: either instance answers
 * for any job, and when the one running a WanX job is killed with SIGKILL, the other
 * picks the job up (the stalled-job check, made fast by jobs.stalledIntervalMs) and
 * finishes it on the same vendor task, well within 60 s.
 */
interface Job {
  id: string;
  status: string;
  result: { data: { url: string }[] } | null;
  error: { code: string } | null;
}

const getJob = async (url: string, id: string) => (await (await fetch(`${url}/v1/jobs/${id}`)).json()) as Job;

t.test('the surviving instance resumes a job whose instance was killed', async (t) => {
  const redis = await startRedis(t);
  const fake = await createDashScopeFake({ pendingPolls: 10, runningPolls: 10 }).start();
  t.teardown(() => fake.close());
  const dir = mkdtempSync(join(tmpdir(), 'uig-job-redis-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'uig.json'),
    JSON.stringify({
      providers: { wanx: { options: { pollInitialIntervalMs: 100, pollMaxIntervalMs: 100 } } },
      jobs: { stalledIntervalMs: 500, lockDurationMs: 2000 },
    }),
  );
  const env = {
    // One image store for both (as S3 would be); the jobs themselves live in Redis.
    UIG_DATA_DIR: join(dir, 'data'),
    UIG_CONFIG: join(dir, 'uig.json'),
    UIG_REDIS_URL: redis.url,
    UIG_SIGNING_SECRET: 'a-secret-both-instances-share',
    DASHSCOPE_API_KEY: 'sk-dash',
    DASHSCOPE_BASE_URL: fake.apiBaseURL,
  };
  const instances: GatewayProcess[] = [await startGatewayProcess(env), await startGatewayProcess(env)];
  for (const instance of instances) t.teardown(() => instance.kill());

  const response = await fetch(`${instances[0]!.url}/v1/images`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'respond-async' },
    body: JSON.stringify({ model: 'wanx/wanx2.1-t2i-turbo', prompt: 'a lighthouse' }),
  });
  t.equal(response.status, 202);
  const job = (await response.json()) as Job;

  // Wait until one of them polls the vendor task, and find out which from the record.
  let runner: string | undefined;
  for (let tries = 0; tries < 600 && !runner; tries++) {
    const raw = await redis.client().get(`uig:jobs:${job.id}`);
    const record = raw
      ? (JSON.parse(raw) as { runner?: string; calls: Record<string, { taskId?: string }> })
      : undefined;
    if (
      record?.runner &&
      Object.values(record.calls).some((call) => call.taskId) &&
      (fake.lastTask?.polls ?? 0) >= 2
    )
      runner = record.runner;
    else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.ok(runner, 'an instance is running the job');
  const victim = instances.find((instance) => runner!.endsWith(`:${instance.child.pid}`))!;
  const survivor = instances.find((instance) => instance !== victim)!;
  t.ok(victim, `the runner ${runner} is one of the two instances`);
  t.same(
    await getJob(survivor.url, job.id).then((current) => current.status),
    'running',
    'the other instance sees it',
  );
  const killedAt = Date.now();
  await victim.kill();

  let done: Job | undefined;
  while (Date.now() - killedAt < 60_000) {
    const current = await getJob(survivor.url, job.id);
    if (['succeeded', 'failed', 'cancelled'].includes(current.status)) {
      done = current;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.ok(done, 'the job ended within 60 s of the kill');
  t.equal(done?.status, 'succeeded', JSON.stringify(done?.error));
  t.comment(`finished ${Date.now() - killedAt} ms after the kill`);
  t.equal(fake.requests.filter(dashScopeRequests.create).length, 1, 'one vendor task, paid once');
  t.equal((await fetch(done!.result!.data[0]!.url)).status, 200);
});

t.test('any instance cancels a job another one runs', async (t) => {
  const redis = await startRedis(t);
  const fake = await createDashScopeFake({ pendingPolls: 1000 }).start();
  t.teardown(() => fake.close());
  const dir = mkdtempSync(join(tmpdir(), 'uig-job-redis-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'uig.json'),
    JSON.stringify({
      providers: { wanx: { options: { pollInitialIntervalMs: 50, pollMaxIntervalMs: 50 } } },
    }),
  );
  const env = {
    UIG_DATA_DIR: join(dir, 'data'),
    UIG_CONFIG: join(dir, 'uig.json'),
    UIG_REDIS_URL: redis.url,
    DASHSCOPE_API_KEY: 'sk-dash',
    DASHSCOPE_BASE_URL: fake.apiBaseURL,
  };
  const first = await startGatewayProcess({ ...env, UIG_JOBS_CONCURRENCY: '1' });
  t.teardown(() => first.kill());
  const submitted = await fetch(`${first.url}/v1/images`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'respond-async' },
    body: JSON.stringify({ model: 'wanx/wanx2.1-t2i-turbo', prompt: 'slow' }),
  });
  const job = (await submitted.json()) as Job;
  for (let tries = 0; tries < 600 && (fake.lastTask?.polls ?? 0) < 1; tries++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  // The second instance starts after the job was taken, so the first one runs it.
  const second = await startGatewayProcess(env);
  t.teardown(() => second.kill());
  const events = fetch(`${first.url}/v1/jobs/${job.id}/events`).then((response) => response.text());
  const deleted = await fetch(`${second.url}/v1/jobs/${job.id}`, { method: 'DELETE' });
  t.equal(((await deleted.json()) as Job).status, 'cancelled');
  t.equal(fake.lastTask?.canceled, true, 'the vendor task was cancelled by the instance running it');
  t.match(await events, /event: cancelled/, 'the events stream on the first instance ends with cancelled');
});
