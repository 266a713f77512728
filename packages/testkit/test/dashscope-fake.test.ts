import t, { type Test } from 'tap';
import { solidPng } from '@uig/core';
import {
  createDashScopeFake,
  dashScopeErrorCatalog,
  dashScopeEditFunctions,
  dashScopePromptExtension,
  dashScopeRequests,
  dashScopeSynchronousCallMessage,
  dashScopeTriggers,
  tinyPng,
  type DashScopeFakeOptions,
} from '@uig/testkit';

async function started(t: Test, options: DashScopeFakeOptions = {}) {
  const fake = await createDashScopeFake(options).start();
  t.teardown(() => fake.close());
  return fake;
}

const headers = (key = 'sk-test', async = true): Record<string, string> => ({
  'content-type': 'application/json',
  authorization: `Bearer ${key}`,
  ...(async ? { 'x-dashscope-async': 'enable' } : {}),
});

type Answer = { status: number; json: Record<string, any> };

async function post(
  url: string,
  body: unknown,
  requestHeaders: Record<string, string> = headers(),
): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: requestHeaders,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

async function get(url: string, requestHeaders: Record<string, string> = headers()): Promise<Answer> {
  const response = await fetch(url, { headers: requestHeaders });
  const text = await response.text();
  return {
    status: response.status,
    json: text.startsWith('{') ? (JSON.parse(text) as Record<string, any>) : { text },
  };
}

const textToImage = (fake: { apiBaseURL: string }) =>
  `${fake.apiBaseURL}/services/aigc/text2image/image-synthesis`;
const imageToImage = (fake: { apiBaseURL: string }) =>
  `${fake.apiBaseURL}/services/aigc/image2image/image-synthesis`;
const t2iBody = (
  prompt = 'a flower shop',
  parameters: Record<string, unknown> = {},
  model = 'wanx2.1-t2i-turbo',
) => ({
  model,
  input: { prompt },
  parameters: { size: '1024*1024', ...parameters },
});

/** Polls until a final state; returns every answer. */
async function pollToEnd(fake: { apiBaseURL: string }, taskId: string): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < 20; i++) {
    const answer = await get(`${fake.apiBaseURL}/tasks/${taskId}`);
    answers.push(answer);
    const status = answer.json.output?.task_status;
    if (answer.status === 200 && !['PENDING', 'RUNNING'].includes(status)) return answers;
  }
  throw new Error('task never ended');
}

t.test(
  'text-to-image: create answers PENDING (docs/providers/wanx.md §4.5), polls go PENDING → RUNNING → SUCCEEDED (docs/providers/wanx.md §4.6)',
  async (t) => {
    const fake = await started(t, { pendingPolls: 2, runningPolls: 1 });
    const created = await post(textToImage(fake), t2iBody());
    t.equal(created.status, 200);
    t.equal(created.json.output.task_status, 'PENDING');
    t.type(created.json.output.task_id, 'string');
    t.type(created.json.request_id, 'string');
    const answers = await pollToEnd(fake, created.json.output.task_id);
    t.same(
      answers.map((answer) => answer.json.output.task_status),
      ['PENDING', 'PENDING', 'RUNNING', 'SUCCEEDED'],
    );
    const output = answers.at(-1)!.json.output;
    // docs/providers/wanx.md §4.3: n defaults to 4 for text-to-image.
    t.equal(output.results.length, 4);
    t.same(output.task_metrics, { TOTAL: 4, SUCCEEDED: 4, FAILED: 0 });
    t.same(answers.at(-1)!.json.usage, { image_count: 4 });
    t.match(output.end_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
    t.equal(output.results[0].orig_prompt, 'a flower shop');
    t.equal(output.results[0].actual_prompt, `a flower shop${dashScopePromptExtension}`);
    const image = await fetch(output.results[0].url);
    t.same(Buffer.from(await image.arrayBuffer()), tinyPng());
    // Polling again gives the same URLs.
    const again = await get(`${fake.apiBaseURL}/tasks/${created.json.output.task_id}`);
    t.same(again.json.output.results, output.results);
  },
);

t.test(
  'prompt_extend false: no actual_prompt; n is honoured; long prompts are truncated silently (docs/providers/wanx.md §4.3)',
  async (t) => {
    const fake = await started(t, { pendingPolls: 0, runningPolls: 0 });
    const created = await post(textToImage(fake), t2iBody('y'.repeat(900), { n: 2, prompt_extend: false }));
    const [final] = await pollToEnd(fake, created.json.output.task_id);
    t.equal(final!.json.output.results.length, 2);
    t.notOk('actual_prompt' in final!.json.output.results[0]);
    t.equal(final!.json.output.results[0].orig_prompt.length, 800);
  },
);

t.test(
  'a create without X-DashScope-Async fails (docs/providers/wanx.md §4.1); the status and code are options',
  async (t) => {
    const fake = await started(t);
    const answer = await post(textToImage(fake), t2iBody(), headers('sk-test', false));
    t.equal(answer.status, 403);
    t.equal(answer.json.code, 'AccessDenied');
    t.equal(answer.json.message, dashScopeSynchronousCallMessage);
    t.equal(fake.tasks.size, 0);
    const other = await started(t, { synchronousCallError: { status: 400, code: 'InvalidParameter' } });
    const changed = await post(textToImage(other), t2iBody(), headers('sk-test', false));
    t.equal(changed.status, 400);
    t.equal(changed.json.code, 'InvalidParameter');
  },
);

t.test(
  'auth: no key and a key of another region are 401 InvalidApiKey (docs/providers/wanx.md §4.1)',
  async (t) => {
    const beijing = await started(t, { region: 'beijing', apiKeys: ['sk-beijing'] });
    const singapore = await started(t, { region: 'singapore', apiKeys: ['sk-singapore'] });
    const missing = await post(textToImage(beijing), t2iBody(), {
      'content-type': 'application/json',
      'x-dashscope-async': 'enable',
    });
    t.equal(missing.status, 401);
    t.equal(missing.json.code, 'InvalidApiKey');
    const wrongRegion = await post(textToImage(beijing), t2iBody(), headers('sk-singapore'));
    t.equal(wrongRegion.status, 401);
    t.equal(wrongRegion.json.code, 'InvalidApiKey');
    t.equal((await post(textToImage(singapore), t2iBody(), headers('sk-singapore'))).status, 200);
    const created = await post(textToImage(beijing), t2iBody(), headers('sk-beijing'));
    t.equal(created.status, 200);
    const poll = await get(
      `${beijing.apiBaseURL}/tasks/${created.json.output.task_id}`,
      headers('sk-singapore'),
    );
    t.equal(poll.status, 401);
  },
);

t.test(
  'models: unknown is 404 ModelNotFound; the edit model exists in Beijing only; endpoints match models',
  async (t) => {
    const beijing = await started(t);
    const singapore = await started(t, { region: 'singapore' });
    const unknown = await post(textToImage(beijing), t2iBody('x', {}, 'wanx-v9'));
    t.equal(unknown.status, 404);
    t.equal(unknown.json.code, 'ModelNotFound');
    for (const model of [
      'wanx2.1-t2i-turbo',
      'wanx2.1-t2i-plus',
      'wanx2.0-t2i-turbo',
      'wan2.2-t2i-flash',
      'wan2.2-t2i-plus',
    ]) {
      t.equal((await post(textToImage(singapore), t2iBody('x', {}, model))).status, 200, model);
    }
    const editBody = {
      model: 'wanx2.1-imageedit',
      input: { function: 'colorization', prompt: 'colour it', base_image_url: 'https://example.com/a.png' },
    };
    t.equal((await post(imageToImage(beijing), editBody)).status, 200);
    t.equal((await post(imageToImage(singapore), editBody)).json.code, 'ModelNotFound');
    const crossed = await post(textToImage(beijing), editBody);
    t.equal(crossed.status, 400);
    t.equal(crossed.json.code, 'InvalidParameter');
  },
);

t.test('size, n and seed rules give 400 InvalidParameter (docs/providers/wanx.md §4.3)', async (t) => {
  const fake = await started(t);
  const cases: Array<[Record<string, unknown>, number]> = [
    [{ size: '1024*1024' }, 200],
    [{ size: '512*1440' }, 200],
    [{ size: '1440*1440' }, 200],
    [{ size: '1024x1024' }, 400], // `x`, not `*`
    [{ size: '511*1024' }, 400],
    [{ size: '1024*1441' }, 400],
    [{ size: 1024 }, 400],
    [{ n: 4 }, 200],
    [{ n: 0 }, 400],
    [{ n: 5 }, 400],
    [{ n: 1.5 }, 400],
    [{ seed: 2_147_483_647 }, 200],
    [{ seed: -1 }, 400],
    [{ watermark: 'yes' }, 400],
  ];
  for (const [parameters, expected] of cases) {
    const { status, json } = await post(textToImage(fake), t2iBody('x', parameters));
    t.equal(status, expected, JSON.stringify(parameters));
    if (expected === 400) t.equal(json.code, 'InvalidParameter', JSON.stringify(parameters));
  }
  const noPrompt = await post(textToImage(fake), { model: 'wanx2.1-t2i-turbo', input: {} });
  t.equal(noPrompt.json.code, 'InvalidParameter');
});

t.test(
  'edits: every function is accepted; function, base image and the mask are checked (docs/providers/wanx.md §4.4)',
  async (t) => {
    const fake = await started(t, { pendingPolls: 0, runningPolls: 0 });
    const base = fake.serveFile(solidPng(512, 512));
    for (const fn of dashScopeEditFunctions) {
      const input = {
        function: fn,
        prompt: 'edit it',
        base_image_url: base,
        ...(fn === 'description_edit_with_mask' ? { mask_image_url: base } : {}),
      };
      const created = await post(imageToImage(fake), {
        model: 'wanx2.1-imageedit',
        input,
        parameters: { n: 1 },
      });
      t.equal(created.status, 200, fn);
      const final = (await pollToEnd(fake, created.json.output.task_id)).at(-1)!;
      t.equal(final.json.output.task_status, 'SUCCEEDED', fn);
      // docs/providers/wanx.md §4.6: edit results carry only `url`.
      t.same(Object.keys(final.json.output.results[0]), ['url'], fn);
    }
    const edit = (input: Record<string, unknown>, parameters: Record<string, unknown> = {}) =>
      post(imageToImage(fake), {
        model: 'wanx2.1-imageedit',
        input: { prompt: 'p', base_image_url: base, ...input },
        parameters,
      });
    t.equal((await edit({ function: 'sharpen' })).json.code, 'InvalidParameter');
    t.equal(
      (await edit({ function: 'colorization', base_image_url: undefined })).json.code,
      'InvalidParameter',
    );
    t.equal((await edit({ function: 'description_edit_with_mask' })).json.code, 'InvalidParameter');
    t.equal((await edit({ function: 'expand' }, { top_scale: 2.5 })).json.code, 'InvalidParameter');
    t.equal((await edit({ function: 'super_resolution' }, { upscale_factor: 4 })).status, 200);
    // docs/providers/wanx.md §4.4: n defaults to 1 for edits.
    const created = await edit({ function: 'colorization' });
    const final = (await pollToEnd(fake, created.json.output.task_id)).at(-1)!;
    t.equal(final.json.output.results.length, 1);
  },
);

t.test(
  'edits: loopback input URLs are fetched and checked; others are not (docs/providers/wanx.md §4.4)',
  async (t) => {
    const fake = await started(t, { pendingPolls: 0, runningPolls: 0 });
    const small = fake.serveFile(tinyPng());
    const base = fake.serveFile(solidPng(512, 512));
    const otherSize = fake.serveFile(solidPng(640, 512));
    const failedTask = async (input: Record<string, unknown>) => {
      const created = await post(imageToImage(fake), {
        model: 'wanx2.1-imageedit',
        input: { prompt: 'p', ...input },
      });
      t.equal(created.status, 200);
      return (await pollToEnd(fake, created.json.output.task_id)).at(-1)!.json.output;
    };
    const tooSmall = await failedTask({ function: 'colorization', base_image_url: small });
    t.equal(tooSmall.task_status, 'FAILED');
    t.equal(tooSmall.code, 'InvalidParameter');
    const missing = await failedTask({
      function: 'colorization',
      base_image_url: `${fake.url}/files/none.png`,
    });
    t.equal(missing.code, 'InvalidParameter');
    const mismatch = await failedTask({
      function: 'description_edit_with_mask',
      base_image_url: base,
      mask_image_url: otherSize,
    });
    t.equal(mismatch.code, 'InvalidParameter');
    const elsewhere = await failedTask({
      function: 'colorization',
      base_image_url: 'https://example.invalid/a.png',
    });
    t.equal(elsewhere.task_status, 'SUCCEEDED');
    t.equal(fake.callsTo('/files/none.png').length, 1);

    const atCreate = await started(t, { inputErrorAt: 'create' });
    const refused = await post(imageToImage(atCreate), {
      model: 'wanx2.1-imageedit',
      input: { function: 'colorization', prompt: 'p', base_image_url: atCreate.serveFile(tinyPng()) },
    });
    t.equal(refused.status, 400);
    t.equal(refused.json.code, 'InvalidParameter');
    const never = await started(t, { fetchInputs: 'never', inputErrorAt: 'create' });
    const unchecked = await post(imageToImage(never), {
      model: 'wanx2.1-imageedit',
      input: { function: 'colorization', prompt: 'p', base_image_url: never.serveFile(tinyPng()) },
    });
    t.equal(unchecked.status, 200);
  },
);

t.test('FAILED carries output.code and message (docs/providers/wanx.md §4.6)', async (t) => {
  const fake = await started(t);
  const created = await post(
    textToImage(fake),
    t2iBody(dashScopeTriggers.taskFailed('DataInspectionFailed')),
  );
  const final = (await pollToEnd(fake, created.json.output.task_id)).at(-1)!;
  t.equal(final.json.output.task_status, 'FAILED');
  t.equal(final.json.output.code, 'DataInspectionFailed');
  t.type(final.json.output.message, 'string');
});

t.test(
  'partial failure: SUCCEEDED with a failed item; all items failed (docs/providers/wanx.md §4.6)',
  async (t) => {
    const fake = await started(t, { pendingPolls: 0, runningPolls: 0 });
    const partial = await post(textToImage(fake), t2iBody(dashScopeTriggers.partialFailure, { n: 3 }));
    const output = (await pollToEnd(fake, partial.json.output.task_id)).at(-1)!;
    t.equal(output.json.output.task_status, 'SUCCEEDED');
    t.equal(output.json.output.results.filter((item: any) => item.url).length, 2);
    t.equal(output.json.output.results[2].code, 'InternalError.Timeout');
    t.same(output.json.output.task_metrics, { TOTAL: 3, SUCCEEDED: 2, FAILED: 1 });
    t.same(output.json.usage, { image_count: 2 });
    const none = await post(textToImage(fake), t2iBody(dashScopeTriggers.allItemsFailed, { n: 2 }));
    const all = (await pollToEnd(fake, none.json.output.task_id)).at(-1)!;
    t.equal(all.json.output.task_status, 'SUCCEEDED');
    t.ok(all.json.output.results.every((item: any) => item.code === 'InternalError.Timeout'));
  },
);

t.test('UNKNOWN for an unknown id and for a lost task (docs/providers/wanx.md §4.6)', async (t) => {
  const fake = await started(t);
  const unknown = await get(`${fake.apiBaseURL}/tasks/no-such-task`);
  t.equal(unknown.status, 200);
  t.equal(unknown.json.output.task_status, 'UNKNOWN');
  const lost = await post(textToImage(fake), t2iBody(dashScopeTriggers.taskLost));
  t.equal(
    (await get(`${fake.apiBaseURL}/tasks/${lost.json.output.task_id}`)).json.output.task_status,
    'UNKNOWN',
  );
});

t.test('cancel works on PENDING only (docs/providers/wanx.md §4.1); later polls say CANCELED', async (t) => {
  const fake = await started(t, { pendingPolls: 1, runningPolls: 5 });
  const pending = await post(textToImage(fake), t2iBody(dashScopeTriggers.stuckPending));
  const id = pending.json.output.task_id;
  t.equal((await get(`${fake.apiBaseURL}/tasks/${id}`)).json.output.task_status, 'PENDING');
  const cancelled = await post(`${fake.apiBaseURL}/tasks/${id}/cancel`, undefined);
  t.equal(cancelled.status, 200);
  t.type(cancelled.json.request_id, 'string');
  t.equal((await get(`${fake.apiBaseURL}/tasks/${id}`)).json.output.task_status, 'CANCELED');

  const running = await post(textToImage(fake), t2iBody());
  const runningId = running.json.output.task_id;
  await get(`${fake.apiBaseURL}/tasks/${runningId}`);
  t.equal((await get(`${fake.apiBaseURL}/tasks/${runningId}`)).json.output.task_status, 'RUNNING');
  const refused = await post(`${fake.apiBaseURL}/tasks/${runningId}/cancel`, undefined);
  t.equal(refused.status, 400);
  t.equal(refused.json.code, 'UnsupportedOperation');
  t.equal((await post(`${fake.apiBaseURL}/tasks/nope/cancel`, undefined)).json.code, 'UnsupportedOperation');
});

t.test('stuck tasks stay PENDING or RUNNING', async (t) => {
  const fake = await started(t, { pendingPolls: 1, runningPolls: 1 });
  const running = await post(textToImage(fake), t2iBody(dashScopeTriggers.stuckRunning));
  const statuses = [];
  for (let i = 0; i < 5; i++)
    statuses.push(
      (await get(`${fake.apiBaseURL}/tasks/${running.json.output.task_id}`)).json.output.task_status,
    );
  t.same(statuses, ['PENDING', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING']);
});

t.test(
  'every docs/providers/wanx.md §4.7 error body: flat envelope, the catalog status, a request_id',
  async (t) => {
    const fake = await started(t);
    for (const [code, { status }] of Object.entries(dashScopeErrorCatalog)) {
      const answer = await post(textToImage(fake), t2iBody(dashScopeTriggers.error(code)));
      t.equal(answer.status, status, code);
      t.equal(answer.json.code, code, code);
      t.type(answer.json.message, 'string', code);
      t.type(answer.json.request_id, 'string', code);
      t.notOk('error' in answer.json, code);
    }
    const overridden = await started(t, { statusOverrides: { Arrearage: 403 } });
    t.equal((await post(textToImage(overridden), t2iBody(dashScopeTriggers.error('Arrearage')))).status, 403);
  },
);

t.test('HTTP 200 with a top-level code (docs/providers/wanx.md §4.7)', async (t) => {
  const fake = await started(t);
  const answer = await post(
    textToImage(fake),
    t2iBody(dashScopeTriggers.errorWithStatus200('Throttling.RateQuota')),
  );
  t.equal(answer.status, 200);
  t.equal(answer.json.code, 'Throttling.RateQuota');
  t.notOk('output' in answer.json);
  t.equal(fake.tasks.size, 0);
});

t.test('503 then 504 during polling, then the task goes on (docs/providers/wanx.md §4.7)', async (t) => {
  const fake = await started(t, { pendingPolls: 0, runningPolls: 0 });
  const created = await post(textToImage(fake), t2iBody(dashScopeTriggers.pollGatewayErrors, { n: 1 }));
  const answers = await pollToEnd(fake, created.json.output.task_id);
  t.same(
    answers.map((answer) => answer.status),
    [503, 504, 200],
  );
  t.equal(answers[2]!.json.output.task_status, 'SUCCEEDED');
});

t.test('fault injection by request kind, failWith and latency', async (t) => {
  const fake = await started(t, { pendingPolls: 0, runningPolls: 0 });
  fake.failWith('Throttling.RateQuota', { after: 1, times: 1, match: dashScopeRequests.create });
  fake.inject({ fault: { kind: 'status', status: 503 }, match: dashScopeRequests.poll });
  const first = await post(textToImage(fake), t2iBody());
  t.equal(first.status, 200);
  const second = await post(textToImage(fake), t2iBody());
  t.equal(second.status, 429);
  t.equal(second.json.code, 'Throttling.RateQuota');
  t.equal((await get(`${fake.apiBaseURL}/tasks/${first.json.output.task_id}`)).status, 503);
  t.equal((await get(`${fake.apiBaseURL}/tasks/${first.json.output.task_id}`)).status, 200);
  fake.failWith('InternalError', { status: 200 });
  const okWithCode = await post(textToImage(fake), t2iBody());
  t.equal(okWithCode.status, 200);
  t.equal(okWithCode.json.code, 'InternalError');

  const slow = await started(t, { latencyMs: 60 });
  const began = Date.now();
  await post(textToImage(slow), t2iBody());
  t.ok(Date.now() - began >= 50);
});
