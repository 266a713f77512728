import { randomUUID } from 'node:crypto';
import type { FakeResponse, RouteContext } from '../fake-upstream.js';
import { isObject, parametersProblem, sizeProblem } from './dashscope-fake-checks.js';
import {
  bracketedTrigger,
  dashScopeErrorBody,
  dashScopeSynchronousCallMessage,
  dashScopeTriggers,
} from './dashscope-fake-errors.js';
import {
  dashScopeEditFunctions,
  type DashScopeFakeTask,
  dashScopeImageEditModels,
  type TaskOutcome,
} from './dashscope-fake-options.js';
import type { DashScopeTaskHost } from './dashscope-task-host.js';
import { vendorTime } from './dashscope-task-body.js';

/**
 * Creating a WanX task (docs/providers/wanx.md §4.3–4.5): the request checks the vendor makes
 * at creation, the prompt triggers that pick the task's outcome, and the `PENDING` answer.
 */
export async function createDashScopeTask(
  host: DashScopeTaskHost,
  { request, signal }: RouteContext,
  endpoint: DashScopeFakeTask['endpoint'],
): Promise<FakeResponse> {
  const denied = host.authenticate(request);
  if (denied) return denied;
  if (String(request.headers['x-dashscope-async'] ?? '').toLowerCase() !== 'enable') {
    const { status, code } = host.settings.synchronousCallError;
    return { status, json: dashScopeErrorBody(code, { message: dashScopeSynchronousCallMessage }) };
  }
  const body = request.json;
  if (!isObject(body)) return host.error('InvalidParameter', 'The request body is not valid JSON.');
  if (typeof body.model !== 'string' || body.model === '')
    return host.error('InvalidParameter', 'Model not specified.');
  if (!host.settings.models.includes(body.model)) return host.error('ModelNotFound');
  const isEditModel = (dashScopeImageEditModels as readonly string[]).includes(body.model);
  if (isEditModel !== (endpoint === 'image2image'))
    return host.error('InvalidParameter', `Model ${body.model} does not support this API.`);
  const input = body.input;
  if (!isObject(input)) return host.error('InvalidParameter', 'input is required.');
  const parameters = body.parameters === undefined ? {} : body.parameters;
  if (!isObject(parameters)) return host.error('InvalidParameter', 'parameters must be an object.');
  if (typeof input.prompt !== 'string' || input.prompt.trim() === '')
    return host.error('InvalidParameter', 'Field required: input.prompt');
  const parameterProblem = parametersProblem(parameters);
  if (parameterProblem) return host.error('InvalidParameter', parameterProblem);
  if (input.negative_prompt !== undefined && typeof input.negative_prompt !== 'string')
    return host.error('InvalidParameter', 'input.negative_prompt must be a string.');

  let inputProblem: string | undefined;
  if (endpoint === 'text2image') {
    const problem = sizeProblem(parameters.size);
    if (problem) return host.error('InvalidParameter', problem);
  } else {
    if (!(dashScopeEditFunctions as readonly string[]).includes(input.function as string))
      return host.error('InvalidParameter', 'input.function is invalid.');
    if (typeof input.base_image_url !== 'string' || input.base_image_url === '')
      return host.error('InvalidParameter', 'Field required: input.base_image_url');
    const withMask = input.function === 'description_edit_with_mask';
    if (withMask && (typeof input.mask_image_url !== 'string' || input.mask_image_url === ''))
      return host.error('InvalidParameter', 'Field required: input.mask_image_url');
    const base = await host.inputCheck(input.base_image_url, 'base_image_url', body.model, request, signal);
    if ('response' in base) return base.response;
    inputProblem = base.problem;
    if (!inputProblem && withMask) {
      const mask = await host.inputCheck(
        input.mask_image_url as string,
        'mask_image_url',
        body.model,
        request,
        signal,
      );
      if ('response' in mask) return mask.response;
      inputProblem =
        mask.problem ??
        (base.size && mask.size && base.size !== mask.size
          ? 'The mask image must be the same size as the base image.'
          : undefined);
    }
    if (inputProblem && host.settings.inputErrorAt === 'create')
      return host.error('InvalidParameter', inputProblem);
  }

  const prompt = input.prompt;
  const errorCode = bracketedTrigger('ERROR', prompt);
  if (errorCode) return host.error(errorCode);
  const okCode = bracketedTrigger('200', prompt);
  if (okCode) return { status: 200, json: dashScopeErrorBody(okCode) };

  const failedCode = bracketedTrigger('TASK_FAILED', prompt);
  const outcome: TaskOutcome = inputProblem
    ? { kind: 'fail', code: 'InvalidParameter', message: inputProblem }
    : failedCode
      ? { kind: 'fail', code: failedCode }
      : prompt.includes(dashScopeTriggers.taskLost)
        ? { kind: 'lost' }
        : prompt.includes(dashScopeTriggers.stuckPending)
          ? { kind: 'stuck', status: 'PENDING' }
          : prompt.includes(dashScopeTriggers.stuckRunning)
            ? { kind: 'stuck', status: 'RUNNING' }
            : {
                kind: 'succeed',
                failedItems: prompt.includes(dashScopeTriggers.allItemsFailed)
                  ? 'all'
                  : prompt.includes(dashScopeTriggers.partialFailure)
                    ? 'last'
                    : 'none',
              };
  const task: DashScopeFakeTask = {
    id: randomUUID(),
    model: body.model,
    endpoint,
    body,
    polls: 0,
    status: 'PENDING',
    canceled: false,
    outcome,
    // docs/providers/wanx.md §4.3: longer prompts are silently truncated to 800 characters.
    prompt: prompt.slice(0, 800),
    // docs/providers/wanx.md §4.3 / docs/providers/wanx.md §4.4: n defaults to 4 for text-to-image, 1 for edits.
    n: (parameters.n as number | undefined) ?? (endpoint === 'text2image' ? 4 : 1),
    // docs/providers/wanx.md §4.3: prompt_extend defaults to true; edits have no prompt rewriting.
    promptExtend: endpoint === 'text2image' && parameters.prompt_extend !== false,
    submitTime: vendorTime(),
    gatewayErrors: prompt.includes(dashScopeTriggers.pollGatewayErrors) ? 2 : 0,
  };
  host.tasks.set(task.id, task);
  // docs/providers/wanx.md §4.5.
  return {
    status: 200,
    json: { output: { task_status: 'PENDING', task_id: task.id }, request_id: randomUUID() },
  };
}
