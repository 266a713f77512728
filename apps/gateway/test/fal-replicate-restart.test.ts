import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFalFake, createReplicateFake, falRequests, replicateRequests } from '@uig/testkit';
import { startGatewayProcess } from './gateway-process.js';

/**
 * docs/architecture.md, "The resume rule", for the two queue vendors: a gateway killed with
 * SIGKILL while it polls a fal request or a Replicate prediction, restarted on the same data
 * folder, polls the same request by the id the adapter reported, and never submits twice.
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

async function runAcrossRestart(
  t: Test,
  env: Record<string, string>,
  config: Record<string, unknown>,
  model: string,
  polledTwice: () => boolean,
) {
  const dir = mkdtempSync(join(tmpdir(), 'uig-queue-restart-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'uig.json'), JSON.stringify(config));
  const fullEnv = { UIG_DATA_DIR: join(dir, 'data'), UIG_CONFIG: join(dir, 'uig.json'), ...env };
  const first = await startGatewayProcess(fullEnv);
  t.teardown(() => first.kill());
  const submitted = await fetch(`${first.url}/v1/images`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'respond-async' },
    body: JSON.stringify({ model, prompt: 'a lighthouse' }),
  });
  t.equal(submitted.status, 202);
  const job = (await submitted.json()) as Job;
  await waitFor('a few polls', () => (polledTwice() ? true : undefined));
  await first.kill();
  const record = JSON.parse(readFileSync(join(dir, 'data', 'jobs', job.id, 'record.json'), 'utf8'));
  t.equal(record.status, 'running', 'the dead process left it running');

  const second = await startGatewayProcess(fullEnv);
  t.teardown(() => second.kill());
  const done = await waitFor('the job to end', async () => {
    const current = (await (await fetch(`${second.url}/v1/jobs/${job.id}`)).json()) as Job;
    return ['succeeded', 'failed', 'cancelled'].includes(current.status) ? current : undefined;
  });
  t.equal(done.status, 'succeeded', JSON.stringify(done.error));
  t.equal((await fetch(done.result!.data[0]!.url)).status, 200);
  return record as { calls: Record<string, { taskId?: string }> };
}

t.test('kill -9 while polling fal: the restarted gateway polls the same request', async (t) => {
  const fake = await createFalFake({ queuePolls: 12 }).start();
  t.teardown(() => fake.close());
  const record = await runAcrossRestart(
    t,
    { FAL_KEY: 'fal-test', FAL_BASE_URL: fake.url },
    { providers: { fal: { options: { pollIntervalMs: 100 } } } },
    'fal/fal-ai/flux/schnell',
    () => [...fake.queued.values()].some((request) => request.polls >= 2),
  );
  const [request] = [...fake.queued.values()];
  t.same(
    Object.values(record.calls).map((call) => call.taskId),
    [request!.id],
    'the request id was journalled',
  );
  t.equal(fake.requests.filter(falRequests.submit).length, 1, 'exactly one request submitted to fal');
  t.ok(request!.polls > 2, 'the new process polled it');
});

t.test('kill -9 while polling Replicate: the restarted gateway polls the same prediction', async (t) => {
  const fake = await createReplicateFake({ pollsUntilDone: 12 }).start();
  t.teardown(() => fake.close());
  const record = await runAcrossRestart(
    t,
    { REPLICATE_API_TOKEN: 'r8_test', REPLICATE_BASE_URL: fake.apiBaseURL },
    { providers: { replicate: { options: { pollIntervalMs: 100 } } } },
    'replicate/black-forest-labs/flux-schnell',
    () => [...fake.predictions.values()].some((prediction) => prediction.polls >= 2),
  );
  const [prediction] = [...fake.predictions.values()];
  t.same(
    Object.values(record.calls).map((call) => call.taskId),
    [prediction!.id],
  );
  t.equal(fake.requests.filter(replicateRequests.create).length, 1, 'exactly one prediction created');
  t.ok(prediction!.polls > 2);
});
