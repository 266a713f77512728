import type { FakeResponse, RecordedRequest } from '../fake-upstream.js';
import { imageBytesProblem, inputImageProblem } from './dashscope-fake-checks.js';
import { dashScopeErrorBody } from './dashscope-fake-errors.js';
import type { DashScopeFakeOptions } from './dashscope-fake-options.js';
import type { DashScopeUploads } from './dashscope-uploads.js';

/**
 * An input image URL of a model call: an `oss://` temporary upload (docs/providers/wanx.md §13.1)
 * is read from the fake's store, an http(s) URL fetched when on loopback. A missing
 * resolve header is the call's error; other problems are reported as the vendor would.
 */
export async function checkDashScopeInput(
  uploads: DashScopeUploads,
  fetchInputs: NonNullable<DashScopeFakeOptions['fetchInputs']>,
  url: string,
  field: string,
  model: string,
  request: RecordedRequest,
  signal: AbortSignal,
): Promise<{ problem?: string; size?: string } | { response: FakeResponse }> {
  if (!url.startsWith('oss://')) return inputImageProblem(fetchInputs, url, field, signal);
  const read = uploads.read(url, model, request.headers);
  if ('code' in read) {
    if (read.status !== 400 || read.code !== 'InvalidParameter')
      return {
        response: { status: read.status, json: dashScopeErrorBody(read.code, { message: read.message }) },
      };
    // Not the header: a missing or foreign file, reported like any bad input.
    return String(request.headers['x-dashscope-ossresourceresolve'] ?? '').toLowerCase() === 'enable'
      ? { problem: read.message }
      : {
          response: { status: read.status, json: dashScopeErrorBody(read.code, { message: read.message }) },
        };
  }
  return imageBytesProblem(read.bytes, field);
}
