import t, { type Test } from 'tap';
import { createCogviewFake, cogviewTriggers, tinyPng, type CogviewFakeOptions } from '@uig/testkit';

async function started(t: Test, options: CogviewFakeOptions = {}) {
  const fake = await createCogviewFake(options).start();
  t.teardown(() => fake.close());
  return fake;
}

const headers = (key = 'id.secret') => ({
  'content-type': 'application/json',
  authorization: `Bearer ${key}`,
});

async function post(url: string, body: unknown, requestHeaders: Record<string, string> = headers()) {
  const response = await fetch(url, { method: 'POST', headers: requestHeaders, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

async function get(url: string, requestHeaders: Record<string, string> = headers()) {
  const response = await fetch(url, { headers: requestHeaders });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

t.test(
  'a sync generation answers docs/providers/cogview.md §1.4 with one image the fake serves',
  async (t) => {
    const fake = await started(t);
    const { status, json } = await post(`${fake.apiBaseURL}/images/generations`, {
      model: 'cogview-4-250304',
      prompt: 'a cat',
      n: 3,
      response_format: 'url',
    });
    t.equal(status, 200);
    t.type(json.created, 'number');
    t.equal(json.data.length, 1);
    t.same(json.content_filter, [{ role: 'assistant', level: 3 }]);
    t.notOk('request_id' in json);
    const image = await fetch(json.data[0].url);
    t.same(Buffer.from(await image.arrayBuffer()), tinyPng());
  },
);

t.test('auth: no bearer is 1001, a refused key 1002', async (t) => {
  const fake = await started(t, { acceptKey: (key) => key === 'good.key' });
  const url = `${fake.apiBaseURL}/images/generations`;
  const body = { model: 'cogview-4', prompt: 'x' };
  const missing = await post(url, body, { 'content-type': 'application/json' });
  t.equal(missing.status, 401);
  t.equal(missing.json.error.code, '1001');
  const wrong = await post(url, body, headers('bad.key'));
  t.equal(wrong.status, 401);
  t.equal(wrong.json.error.code, '1002');
  t.equal((await post(url, body, headers('good.key'))).status, 200);
});

t.test('models: unknown is 1211; case-insensitivity is an option', async (t) => {
  const loose = await started(t);
  const unknown = await post(`${loose.apiBaseURL}/images/generations`, { model: 'dall-e-3', prompt: 'x' });
  t.equal(unknown.status, 400);
  t.equal(unknown.json.error.code, '1211');
  t.equal(
    (await post(`${loose.apiBaseURL}/images/generations`, { model: 'cogView-4-250304', prompt: 'x' })).status,
    200,
  );
  t.equal(
    (await post(`${loose.apiBaseURL}/images/generations`, { model: 'cogview-3-plus', prompt: 'x' })).status,
    200,
  );
  const strict = await started(t, { caseInsensitiveModels: false });
  const mixed = await post(`${strict.apiBaseURL}/images/generations`, {
    model: 'cogView-4-250304',
    prompt: 'x',
  });
  t.equal(mixed.json.error.code, '1211');
});

t.test('size rules per model (docs/providers/cogview.md §1.3) give 1214', async (t) => {
  const fake = await started(t);
  const url = `${fake.apiBaseURL}/images/generations`;
  const cases: Array<[string, string, number]> = [
    ['cogview-4', '1024x1024', 200],
    ['cogview-4', '1440x720', 200],
    ['cogview-4', '512x2048', 200],
    ['cogview-4', '2048x2048', 400], // over 2^21 pixels
    ['cogview-4', '1000x1000', 400], // not a multiple of 16
    ['cogview-4', '496x1024', 400], // under 512
    ['cogview-4', '1024*1024', 400], // bad format
    ['glm-image', '1280x1280', 200],
    ['glm-image', '2048x2048', 200], // 2^22 is allowed for glm-image
    ['glm-image', '1024x1040', 400], // multiple of 16 but not 32
    ['glm-image', '768x1344', 400], // under 1024
  ];
  for (const [model, size, expected] of cases) {
    const { status, json } = await post(url, { model, prompt: 'x', size });
    t.equal(status, expected, `${model} ${size}`);
    if (expected === 400) t.equal(json.error.code, '1214', `${model} ${size}`);
  }
});

t.test('other fields: missing prompt 1213, bad quality / user_id / watermark 1214', async (t) => {
  const fake = await started(t);
  const url = `${fake.apiBaseURL}/images/generations`;
  t.equal((await post(url, { model: 'cogview-4' })).json.error.code, '1213');
  t.equal((await post(url, { model: 'cogview-4', prompt: 'x', quality: 'ultra' })).json.error.code, '1214');
  t.equal((await post(url, { model: 'cogview-4', prompt: 'x', user_id: 'abc' })).json.error.code, '1214');
  t.equal(
    (await post(url, { model: 'cogview-4', prompt: 'x', watermark_enabled: 'no' })).json.error.code,
    '1214',
  );
  t.equal(
    (await post(url, { model: 'glm-image', prompt: 'x', quality: 'standard' })).json.error.code,
    '1214',
  );
  t.equal(
    (
      await post(url, {
        model: 'cogview-4',
        prompt: 'x',
        quality: 'hd',
        user_id: 'user-123',
        watermark_enabled: false,
      })
    ).status,
    200,
  );
  const lenient = await started(t, { glmImageStandardQuality: 'ignore' });
  t.equal(
    (
      await post(`${lenient.apiBaseURL}/images/generations`, {
        model: 'glm-image',
        prompt: 'x',
        quality: 'standard',
      })
    ).status,
    200,
  );
});

t.test('trigger words answer with the docs/providers/cogview.md §1.6 bodies', async (t) => {
  const fake = await started(t);
  const url = `${fake.apiBaseURL}/images/generations`;
  const refusal = await post(url, { model: 'cogview-4', prompt: `a ${cogviewTriggers.unsafePrompt}` });
  t.equal(refusal.status, 400);
  t.equal(refusal.json.error.code, '1301');
  t.same(refusal.json.contentFilter, [{ level: 1, role: 'user' }]);
  const output = await post(url, { model: 'cogview-4', prompt: cogviewTriggers.unsafeOutput });
  t.same(output.json.contentFilter, [{ level: 1, role: 'assistant' }]);
  const expected: Array<[string, number, string]> = [
    [cogviewTriggers.concurrency, 429, '1302'],
    [cogviewTriggers.frequency, 429, '1303'],
    [cogviewTriggers.dailyLimit, 429, '1304'],
    [cogviewTriggers.usageLimit, 429, '1308'],
    [cogviewTriggers.balance, 429, '1113'],
    [cogviewTriggers.serverError, 500, '500'],
  ];
  for (const [word, status, code] of expected) {
    const { status: got, json } = await post(url, { model: 'cogview-4', prompt: word });
    t.equal(got, status, word);
    t.equal(json.error.code, code, word);
    t.type(json.error.code, 'string');
  }
});

t.test('failWith forces a vendor error through fault injection', async (t) => {
  const fake = await started(t, { requestIdInBodies: true });
  fake.failWith('1302', { times: 1, after: 1, headers: { 'x-request-id': 'req-1' } });
  const url = `${fake.apiBaseURL}/images/generations`;
  const first = await post(url, { model: 'cogview-4', prompt: 'x' });
  t.equal(first.status, 200);
  t.type(first.json.request_id, 'string');
  const response = await fetch(url, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ model: 'cogview-4', prompt: 'x' }),
  });
  t.equal(response.status, 429);
  t.equal(response.headers.get('x-request-id'), 'req-1');
  t.equal(((await response.json()) as any).error.code, '1302');
  t.equal((await post(url, { model: 'cogview-4', prompt: 'x' })).status, 200);
});

t.test('async glm-image: PROCESSING for the configured polls, then SUCCESS', async (t) => {
  const fake = await started(t, { processingPolls: 2 });
  const created = await post(`${fake.apiBaseURL}/async/images/generations`, {
    model: 'glm-image',
    prompt: 'x',
  });
  t.equal(created.status, 200);
  t.equal(created.json.task_status, 'PROCESSING');
  t.equal(created.json.model, 'glm-image');
  t.type(created.json.request_id, 'string');
  const url = `${fake.apiBaseURL}/async-result/${created.json.id}`;
  t.equal((await get(url)).json.task_status, 'PROCESSING');
  t.equal((await get(url)).json.task_status, 'PROCESSING');
  const done = await get(url);
  t.equal(done.json.task_status, 'SUCCESS');
  t.same(done.json.content_filter, [{ role: 'assistant', level: 3 }]);
  t.equal((await fetch(done.json.image_result[0].url)).status, 200);
  t.equal(fake.tasks.get(created.json.id)!.polls, 3);
  t.equal((await get(url, { authorization: 'none' })).json.error.code, '1001');
});

t.test('async: FAIL, other models, unknown ids', async (t) => {
  const fake = await started(t, { processingPolls: 0, failedTaskBody: 'with-error' });
  const created = await post(`${fake.apiBaseURL}/async/images/generations`, {
    model: 'glm-image',
    prompt: cogviewTriggers.unsafeOutput,
  });
  const failed = await get(`${fake.apiBaseURL}/async-result/${created.json.id}`);
  t.equal(failed.json.task_status, 'FAIL');
  t.equal(failed.json.error.code, '1301');
  const other = await post(`${fake.apiBaseURL}/async/images/generations`, {
    model: 'cogview-4',
    prompt: 'x',
  });
  t.equal(other.status, 400);
  t.equal(other.json.error.code, '1212');
  const unknown = await get(`${fake.apiBaseURL}/async-result/nope`);
  t.equal(unknown.status, 400);
  t.equal(unknown.json.error.code, '1214');
  const everyModel = await started(t, { asyncModels: ['glm-image', 'cogview-4'], processingPolls: 0 });
  const accepted = await post(`${everyModel.apiBaseURL}/async/images/generations`, {
    model: 'cogview-4',
    prompt: cogviewTriggers.taskFailure,
  });
  t.equal(accepted.status, 200);
  const bare = await get(`${everyModel.apiBaseURL}/async-result/${accepted.json.id}`);
  t.equal(bare.json.task_status, 'FAIL');
  t.notOk('error' in bare.json);
});
