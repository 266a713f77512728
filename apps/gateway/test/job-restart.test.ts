import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDashScopeFake, createOpenAIFake, dashScopeRequests } from '@uig/testkit';
import { startGatewayProcess } from './gateway-process.js';

/**
 * docs/architecture.md, "The resume rule": a gateway killed with SIGKILL during a job,
 * restarted on the same data folder, resumes the vendor task it had created (one task,
 * paid once), and fails a job it left inside a synchronous vendor call (`interrupted`)
 * instead of calling the vendor again.
 */
interface Job {
  id: string;
  status: string;
  result: { data: { url: string }[] } | null;
  error: { code: string } | null;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let tries = 0; tries < 1200; tries++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const getJob = async (url: string, id: string) => (await (await fetch(`${url}/v1/jobs/${id}`)).json()) as Job;

async function submit(url: string, body: Record<string, unknown>): Promise<Job> {
  const response = await fetch(`${url}/v1/images`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'respond-async' },
    body: JSON.stringify(body),
  });
  if (response.status !== 202) throw new Error(`submit: ${response.status} ${await response.text()}`);
  return (await response.json()) as Job;
}

function folder(t: Test) {
  const dir = mkdtempSync(join(tmpdir(), 'uig-job-restart-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('kill -9 during a WanX job: the restarted gateway finishes it on the same vendor task', async (t) => {
  const fake = await createDashScopeFake({ pendingPolls: 8, runningPolls: 8 }).start();
  t.teardown(() => fake.close());
  const dir = folder(t);
  writeFileSync(
    join(dir, 'uig.json'),
    JSON.stringify({
      providers: { wanx: { options: { pollInitialIntervalMs: 100, pollMaxIntervalMs: 100 } } },
    }),
  );
  const env = {
    UIG_DATA_DIR: join(dir, 'data'),
    UIG_CONFIG: join(dir, 'uig.json'),
    DASHSCOPE_API_KEY: 'sk-dash',
    DASHSCOPE_BASE_URL: fake.apiBaseURL,
  };
  const first = await startGatewayProcess(env);
  t.teardown(() => first.kill());
  const job = await submit(first.url, { model: 'wanx/wanx2.1-t2i-turbo', prompt: 'a lighthouse' });
  await waitFor('the task to be polled', () => ((fake.lastTask?.polls ?? 0) >= 2 ? true : undefined));
  await first.kill();
  const record = JSON.parse(readFileSync(join(dir, 'data', 'jobs', job.id, 'record.json'), 'utf8'));
  t.equal(record.status, 'running', 'the dead process left it running');
  t.same(Object.values(record.calls), [{ credential: 'wanx#1', taskId: fake.lastTask!.id }]);
  const pollsBefore = fake.lastTask!.polls;

  const second = await startGatewayProcess(env);
  t.teardown(() => second.kill());
  const done = await waitFor('the job to end', async () => {
    const current = await getJob(second.url, job.id);
    return ['succeeded', 'failed', 'cancelled'].includes(current.status) ? current : undefined;
  });
  t.equal(done.status, 'succeeded', JSON.stringify(done.error));
  t.equal(fake.requests.filter(dashScopeRequests.create).length, 1, 'exactly one task created at the vendor');
  t.equal(fake.tasks.size, 1);
  t.ok(fake.lastTask!.polls > pollsBefore, 'the new process polled the same task');
  t.equal((await fetch(done.result!.data[0]!.url)).status, 200);
});

t.test(
  'kill -9 inside a synchronous vendor call: the job ends interrupted, the call is not repeated',
  async (t) => {
    const fake = await createOpenAIFake({ latencyMs: 4_000 }).start();
    t.teardown(() => fake.close());
    const dir = folder(t);
    const env = {
      UIG_DATA_DIR: join(dir, 'data'),
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.apiBaseURL,
    };
    const first = await startGatewayProcess(env);
    t.teardown(() => first.kill());
    const job = await submit(first.url, { model: 'openai/gpt-image-1', prompt: 'a lighthouse' });
    await waitFor('the vendor call', () => (fake.requests.length > 0 ? true : undefined));
    await first.kill();

    const second = await startGatewayProcess(env);
    t.teardown(() => second.kill());
    const done = await waitFor('the job to end', async () => {
      const current = await getJob(second.url, job.id);
      return current.status !== 'running' && current.status !== 'queued' ? current : undefined;
    });
    t.equal(done.status, 'failed');
    t.equal(done.error?.code, 'interrupted');
    t.equal(fake.requests.length, 1, 'the vendor was called once');
  },
);
