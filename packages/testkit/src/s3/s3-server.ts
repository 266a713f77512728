import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Test } from 'tap';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string }>;
}) => S3rverInstance;
// s3rver ships no types: the part used here, typed.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** A real S3-compatible server on 127.0.0.1 (s3rver, files in a temp folder), for storage tests. */
export interface TestS3Server {
  endpoint: string;
  bucket: string;
  /** s3rver's fixed credentials; any other key is refused (InvalidAccessKeyId). */
  accessKeyId: string;
  secretAccessKey: string;
  /** Stops the server (an outage); `start()` brings it back on the same port and folder. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startS3Server(t: Test, bucket = 'uig-images'): Promise<TestS3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'uig-s3-'));
  const make = (port: number) =>
    new S3rver({ port, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  let server = make(0);
  const { port } = await server.run();
  let running = true;
  const handle: TestS3Server = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    stop: async () => {
      if (!running) return;
      running = false;
      await server.close();
    },
    start: async () => {
      if (running) return;
      server = make(port);
      await server.run();
      running = true;
    },
  };
  t.teardown(async () => {
    await handle.stop();
    rmSync(directory, { recursive: true, force: true });
  });
  return handle;
}
