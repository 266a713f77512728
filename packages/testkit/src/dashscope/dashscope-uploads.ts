import { randomBytes, randomUUID } from 'node:crypto';
import type { FakeResponse, RecordedRequest } from '../fake-upstream.js';
import { parseMultipart } from '../multipart.js';

/**
 * DashScope's temporary file upload (docs/providers/wanx.md §13.1) on loopback: `getPolicy`
 * hands out a policy whose `upload_host` is this fake, the form POST stores the file, and
 * model calls read `oss://{upload_dir}/{file}` back, only with
 * `X-DashScope-OssResourceResolve: enable` and only for the model named in the policy.
 */

export interface DashScopeUploadSettings {
  /** docs/providers/wanx.md §13.1 (unverified): the key holding the policy: `data` (doc sample) or `output` (SDK). Default `data`. */
  policyContainer: 'data' | 'output';
  /** docs/providers/wanx.md §13.1 (unverified): the answer to an `oss://` input without the resolve header. Default 400 InvalidParameter. */
  missingResolveHeader: { status: number; code: string };
}

export interface DashScopeUploadedFile {
  key: string;
  data: Buffer;
  model: string;
  contentType?: string;
}

interface IssuedPolicy {
  model: string;
  uploadDir: string;
  signature: string;
  accessKeyId: string;
}

/** docs/providers/wanx.md §13.1 step 2: the form fields the OSS host requires, `file` last. */
const requiredFields = ['OSSAccessKeyId', 'Signature', 'policy', 'key', 'success_action_status'];

export class DashScopeUploads {
  /** Stored files by `upload_dir/filename`. */
  readonly files = new Map<string, DashScopeUploadedFile>();
  private readonly policies = new Map<string, IssuedPolicy>();

  constructor(
    private readonly settings: DashScopeUploadSettings,
    private readonly uploadHost: () => string,
  ) {}

  /** `GET /api/v1/uploads?action=getPolicy&model=...` (already authenticated). */
  getPolicy(request: RecordedRequest, error: (code: string, message: string) => FakeResponse): FakeResponse {
    if (request.query.get('action') !== 'getPolicy')
      return error('InvalidParameter', 'action must be getPolicy.');
    const model = request.query.get('model');
    if (!model) return error('InvalidParameter', 'Field required: model');
    const policy = Buffer.from(
      JSON.stringify({ expiration: 'in 300 s', model, nonce: randomUUID() }),
    ).toString('base64');
    const issued: IssuedPolicy = {
      model,
      uploadDir: `dashscope-instant/${randomBytes(8).toString('hex')}/2026-11-27/${randomUUID()}`,
      signature: randomBytes(12).toString('base64'),
      accessKeyId: `LTAI${randomBytes(6).toString('hex')}`,
    };
    this.policies.set(policy, issued);
    const fields = {
      policy,
      signature: issued.signature,
      upload_dir: issued.uploadDir,
      upload_host: this.uploadHost(),
      expire_in_seconds: 300,
      max_file_size_mb: 100,
      capacity_limit_mb: 999999999,
      oss_access_key_id: issued.accessKeyId,
      x_oss_object_acl: 'private',
      x_oss_forbid_overwrite: 'true',
    };
    return { status: 200, json: { request_id: randomUUID(), [this.settings.policyContainer]: fields } };
  }

  /** The form POST to `upload_host`: 200 with an empty body, or an OSS-style XML error. */
  upload(request: RecordedRequest): FakeResponse {
    const contentType = String(request.headers['content-type'] ?? '');
    const parts = contentType.startsWith('multipart/form-data')
      ? parseMultipart(request.body, contentType)
      : undefined;
    if (!parts) return ossError(400, 'InvalidArgument', 'The body must be multipart/form-data.');
    const field = (name: string) => parts.find((part) => part.name === name)?.data.toString('utf8');
    const missing = requiredFields.find((name) => field(name) === undefined);
    if (missing) return ossError(400, 'InvalidArgument', `Missing form field ${missing}.`);
    if (parts.at(-1)?.name !== 'file')
      return ossError(400, 'InvalidArgument', 'The file must be the last field.');
    const issued = this.policies.get(field('policy')!);
    if (!issued || issued.signature !== field('Signature') || issued.accessKeyId !== field('OSSAccessKeyId'))
      return ossError(403, 'SignatureDoesNotMatch', 'The request signature does not match.');
    const key = field('key')!;
    if (!key.startsWith(`${issued.uploadDir}/`))
      return ossError(403, 'AccessDenied', 'The key is outside the policy upload_dir.');
    if (this.files.has(key) && field('x-oss-forbid-overwrite') === 'true')
      return ossError(409, 'FileAlreadyExists', 'The object exists.');
    const file = parts.at(-1)!;
    const type = field('x-oss-content-type') ?? file.contentType;
    this.files.set(key, {
      key,
      data: file.data,
      model: issued.model,
      ...(type ? { contentType: type } : {}),
    });
    return { status: Number(field('success_action_status')) || 204, body: '' };
  }

  /**
   * An `oss://` input of a model call: the bytes, or the vendor's error (code and message).
   * docs/providers/wanx.md §13.1: only with the resolve header, only for the model it was uploaded for.
   */
  read(
    url: string,
    model: string,
    headers: RecordedRequest['headers'],
  ): { bytes: Buffer } | { status: number; code: string; message: string } {
    if (String(headers['x-dashscope-ossresourceresolve'] ?? '').toLowerCase() !== 'enable') {
      const { status, code } = this.settings.missingResolveHeader;
      return {
        status,
        code,
        message: `The oss resource ${url} cannot be resolved without X-DashScope-OssResourceResolve.`,
      };
    }
    const file = this.files.get(url.slice('oss://'.length));
    if (!file)
      return { status: 400, code: 'InvalidParameter', message: `The oss resource ${url} does not exist.` };
    if (file.model !== model)
      return {
        status: 400,
        code: 'InvalidParameter',
        message: `The oss resource ${url} was uploaded for another model.`,
      };
    return { bytes: file.data };
  }
}

function ossError(status: number, code: string, message: string): FakeResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomUUID()}</RequestId></Error>`,
  };
}
