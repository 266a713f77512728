import { z } from 'zod';
import {
  InvalidUpstreamResponseError,
  UpstreamUnavailableError,
  malformedResponse,
  transportError,
  upstreamRequest,
  type InputImage,
} from '@uig/core';
import { wanxError } from './wanx-error.js';
import { topLevelCode } from './wanx-responses.js';

/**
 * DashScope's temporary file upload (docs/providers/wanx.md §13.1), so input images need no
 * public gateway URL: ask for an upload policy for the model that will read the file,
 * form-POST the file to the OSS host the policy names, and hand the model
 * `oss://{upload_dir}/{file}`; the call that reads it sends `X-DashScope-OssResourceResolve:
 * enable`. Files live 48 h and only that model of that account can read them.
 */

/** The header a call needs to read `oss://` inputs (docs/providers/wanx.md §13.1 step 3). */
export const ossResolveHeader = { 'x-dashscope-ossresourceresolve': 'enable' } as const;

const text = z.union([z.string(), z.number()]).nullish();
/** docs/providers/wanx.md §13.1: the fields the SDK reads. The container is `data` in the doc sample, `output` in the SDK (unverified): both are read. */
const policyFields = z.object({
  policy: z.string(),
  signature: z.string(),
  upload_dir: z.string(),
  upload_host: z.string(),
  oss_access_key_id: z.string(),
  x_oss_object_acl: text,
  x_oss_forbid_overwrite: text,
});
const policyResponseSchema = z.object({
  data: policyFields.nullish().catch(undefined),
  output: policyFields.nullish().catch(undefined),
});

export interface DashScopeUpload {
  provider: string;
  fetch: typeof globalThis.fetch;
  /** `https://dashscope.aliyuncs.com/api/v1` (or a region's). */
  baseURL: string;
  apiKey: string;
  /** The model that will read the file: policies are per model. */
  model: string;
  signal: AbortSignal;
}

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/** Uploads one image; returns its `oss://` URL. */
export async function uploadTemporaryImage(
  upload: DashScopeUpload,
  image: InputImage,
  name: string,
): Promise<string> {
  const { provider } = upload;
  const policyUrl = `${upload.baseURL}/uploads?action=getPolicy&model=${encodeURIComponent(upload.model)}`;
  const answered = await upstreamRequest({
    provider,
    fetch: upload.fetch,
    url: policyUrl,
    method: 'GET',
    headers: { authorization: `Bearer ${upload.apiKey}` },
    signal: upload.signal,
  });
  if (answered.status !== 200 || topLevelCode(answered.json) !== undefined)
    throw wanxError(answered, provider);
  const parsed = policyResponseSchema.safeParse(answered.json);
  const policy = parsed.success ? (parsed.data.data ?? parsed.data.output) : undefined;
  if (!policy) throw malformedResponse(provider, answered, 'data.upload_host');

  const filename = `${name}.${extensions[image.mimeType] ?? 'png'}`;
  const key = `${policy.upload_dir}/${filename}`;
  // docs/providers/wanx.md §13.1 step 2: the OSS form fields, `file` last.
  const form = new FormData();
  form.append('OSSAccessKeyId', policy.oss_access_key_id);
  form.append('Signature', policy.signature);
  form.append('policy', policy.policy);
  form.append('key', key);
  if (policy.x_oss_object_acl != null) form.append('x-oss-object-acl', String(policy.x_oss_object_acl));
  if (policy.x_oss_forbid_overwrite != null)
    form.append('x-oss-forbid-overwrite', String(policy.x_oss_forbid_overwrite));
  form.append('success_action_status', '200');
  form.append('x-oss-content-type', image.mimeType);
  form.append('file', new Blob([new Uint8Array(image.data)], { type: image.mimeType }), filename);
  let response: Response;
  try {
    response = await upload.fetch(policy.upload_host, { method: 'POST', body: form, signal: upload.signal });
  } catch (error) {
    throw transportError(error, upload.signal, provider);
  }
  await response.arrayBuffer().catch(() => undefined);
  if (response.status !== 200) {
    const message = `${provider}'s temporary file store refused the input image upload (HTTP ${response.status}).`;
    throw response.status >= 500
      ? new UpstreamUnavailableError(message, { provider })
      : new InvalidUpstreamResponseError(message, { provider });
  }
  return `oss://${key}`;
}
