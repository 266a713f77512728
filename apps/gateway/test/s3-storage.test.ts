import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startS3Server, type TestS3Server } from '@uig/testkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { startGateway } from './helpers.js';

/**
 * Images in an S3-compatible bucket: a real S3 server (s3rver) on 127.0.0.1 and the real
 * AWS SDK. Instances share only the bucket and the signing secret, never a disk.
 */
const signingSecret = 'one-secret-for-every-instance-0123456789';

function storageConfig(s3: TestS3Server, extra: Record<string, unknown> = {}) {
  return {
    storage: {
      type: 's3',
      bucket: s3.bucket,
      prefix: 'uig',
      endpoint: s3.endpoint,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: 'env:TEST_S3_SECRET',
      ...extra,
    },
  };
}

async function gatewayOn(t: Test, s3: TestS3Server, extra: Record<string, unknown> = {}) {
  const gateway = await startGateway(
    t,
    { UIG_SIGNING_SECRET: signingSecret, TEST_S3_SECRET: s3.secretAccessKey },
    { listen: true, configFile: storageConfig(s3, extra) },
  );
  await gateway.runtime.startup;
  return gateway;
}

function s3Client(s3: TestS3Server): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}

async function objectKeys(s3: TestS3Server): Promise<string[]> {
  const client = s3Client(s3);
  const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  client.destroy();
  return (listed.Contents ?? []).map((item) => item.Key!).sort();
}

async function generate(url: string, body: Record<string, unknown>) {
  const response = await fetch(`${url}/v1/images`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ size: '256x256', ...body }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

t.test('images go to the bucket once, with type and caching, and none to the data folder', async (t) => {
  const s3 = await startS3Server(t);
  const { url, runtime } = await gatewayOn(t, s3);
  const first = await generate(url, { prompt: 'a red kite', seed: 7 });
  t.equal(first.status, 200);
  const id = first.body.data[0].id as string;
  const again = await generate(url, { prompt: 'a red kite', seed: 7 });
  t.equal(again.body.data[0].id, id, 'the same bytes are the same image');
  t.same(await objectKeys(s3), [`uig/${id}`], 'one object for both answers');

  const client = s3Client(s3);
  const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `uig/${id}` }));
  client.destroy();
  t.equal(head.ContentType, 'image/png');
  t.equal(head.CacheControl, 'public, max-age=31536000, immutable');
  t.same(head.Metadata, { width: '256', height: '256' });
  t.notOk(existsSync(join(runtime.config.dataDir, 'images')), 'nothing stored on the local disk');

  const content = await fetch(first.body.data[0].url);
  t.equal(content.status, 200);
  t.equal(content.headers.get('content-type'), 'image/png');
  const bytes = Buffer.from(await content.arrayBuffer());
  t.equal(bytes.length, Number(head.ContentLength));

  const ready = await fetch(`${url}/readyz`);
  t.match(await ready.json(), { status: 'ready', storage: { backend: 's3', writable: true } });
});

t.test('the content route streams from the bucket: ETag, 304, HEAD and ranges', async (t) => {
  const s3 = await startS3Server(t);
  const { url } = await gatewayOn(t, s3);
  const made = await generate(url, { prompt: 'ranges' });
  const imageUrl = made.body.data[0].url as string;
  const whole = Buffer.from(await (await fetch(imageUrl)).arrayBuffer());
  const etag = `"${made.body.data[0].id}"`;

  const notModified = await fetch(imageUrl, { headers: { 'if-none-match': etag } });
  t.equal(notModified.status, 304);

  const head = await fetch(imageUrl, { method: 'HEAD' });
  t.equal(head.status, 200);
  t.equal(head.headers.get('content-length'), String(whole.length));
  t.equal(head.headers.get('accept-ranges'), 'bytes');
  t.equal((await head.arrayBuffer()).byteLength, 0);

  const part = await fetch(imageUrl, { headers: { range: 'bytes=8-99' } });
  t.equal(part.status, 206);
  t.equal(part.headers.get('content-range'), `bytes 8-99/${whole.length}`);
  t.same(Buffer.from(await part.arrayBuffer()), whole.subarray(8, 100));

  const tail = await fetch(imageUrl, { headers: { range: 'bytes=-12' } });
  t.equal(tail.status, 206);
  t.same(Buffer.from(await tail.arrayBuffer()), whole.subarray(whole.length - 12));

  const outside = await fetch(imageUrl, { headers: { range: `bytes=${whole.length}-` } });
  t.equal(outside.status, 416);
  t.equal(outside.headers.get('content-range'), `bytes */${whole.length}`);
  t.equal(((await outside.json()) as any).error.param, 'range');
});

t.test(
  "two instances with no shared disk serve each other's images, and presigned URLs need no gateway",
  async (t) => {
    const s3 = await startS3Server(t);
    const first = await gatewayOn(t, s3);
    const second = await gatewayOn(t, s3, { urls: 'presigned', presignedTtlSeconds: 600 });

    const made = await generate(first.url, { prompt: 'made by the first' });
    const id = made.body.data[0].id as string;
    const viaSecond = new URL(made.body.data[0].url);
    viaSecond.host = new URL(second.url).host;
    const served = await fetch(viaSecond);
    t.equal(served.status, 200, "the second instance serves the first one's URL");
    const bytes = Buffer.from(await served.arrayBuffer());

    const presigned = await generate(second.url, { prompt: 'made by the second' });
    const direct = new URL(presigned.body.data[0].url);
    t.equal(direct.origin, s3.endpoint, 'a presigned URL points at the bucket, not a gateway');
    t.match(direct.search, /X-Amz-Signature=/);
    t.equal((await fetch(direct)).status, 200, 'the presigned URL serves the image');
    const otherWay = await fetch(`${first.url}/v1/images/${presigned.body.data[0].id}/content`);
    t.equal(otherWay.status, 200, "the first instance serves the second one's image (open gateway)");

    const listed = await fetch(`${second.url}/v1/images?limit=5`);
    const gallery = (await listed.json()) as any;
    t.match(gallery.data[0].url, new RegExp(`^${s3.endpoint}/`), 'the gallery hands out presigned URLs too');
    t.ok(bytes.length > 0 && id.length === 32);
  },
);

t.test(
  'a bucket outage is a 503 storage_unavailable; b64_json still delivers; readiness recovers',
  async (t) => {
    const s3 = await startS3Server(t);
    const { url } = await gatewayOn(t, s3);
    await s3.stop();
    const refused = await generate(url, { prompt: 'during the outage' });
    t.equal(refused.status, 503);
    t.equal(refused.body.error.code, 'storage_unavailable');
    const delivered = await generate(url, { prompt: 'paid for', response_format: 'b64_json' });
    t.equal(delivered.status, 200);
    t.ok(delivered.body.data[0].b64_json, 'the image is in the answer');
    t.ok(
      delivered.body.warnings.some((warning: { type: string }) => warning.type === 'not_stored'),
      'with a not_stored warning',
    );
    const down = await fetch(`${url}/readyz`);
    t.equal(down.status, 503);
    t.match(await down.json(), { storage: { backend: 's3', writable: false } });

    await s3.start();
    // The probe runs at most every few seconds; the next one after that says writable again.
    let recovered = false;
    for (let attempt = 0; attempt < 40 && !recovered; attempt++) {
      recovered = (await fetch(`${url}/readyz`)).status === 200;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    t.ok(recovered, 'ready again once the bucket is back');
    t.equal((await generate(url, { prompt: 'after the outage' })).status, 200);
  },
);

t.test('a bucket that is missing or refuses the credentials stops startup, naming the setting', async (t) => {
  const s3 = await startS3Server(t);
  const missing = await startGateway(
    t,
    { TEST_S3_SECRET: s3.secretAccessKey },
    { configFile: storageConfig(s3, { bucket: 'no-such-bucket' }) },
  );
  await t.rejects(missing.runtime.startup, /NoSuchBucket.*storage\.bucket/);
  const refused = await startGateway(
    t,
    { TEST_S3_SECRET: 'wrong' },
    { configFile: storageConfig(s3, { accessKeyId: 'someone-else' }) },
  );
  await t.rejects(refused.runtime.startup, /storage\.accessKeyId/);
  const unreachable = await startGateway(
    t,
    { TEST_S3_SECRET: s3.secretAccessKey },
    { configFile: storageConfig(s3, { endpoint: 'http://127.0.0.1:9' }) },
  );
  await t.rejects(unreachable.runtime.startup, /storage\.endpoint/);
});
