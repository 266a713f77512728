import type { Fault } from '../fake-upstream.js';

/**
 * Put one of these in a prompt to get the matching docs/providers/cogview.md §1.6 error. They are distinct
 * words, none a prefix of another.
 */
export const cogviewTriggers = {
  /** 400 `1301` with `contentFilter` role `user` (prompt blocked). */
  unsafePrompt: 'FAKE_COGVIEW_1301_PROMPT',
  /** 400 `1301` with role `assistant` (output blocked); an async task FAILs instead. */
  unsafeOutput: 'FAKE_COGVIEW_1301_OUTPUT',
  /** 429 `1302`: concurrency too high. */
  concurrency: 'FAKE_COGVIEW_1302',
  /** 429 `1303`: frequency too high. */
  frequency: 'FAKE_COGVIEW_1303',
  /** 429 `1304`: daily call limit reached. */
  dailyLimit: 'FAKE_COGVIEW_1304',
  /** 429 `1308`: usage limit, resets at a time named in the message. */
  usageLimit: 'FAKE_COGVIEW_1308',
  /** 429 `1113`: balance exhausted. */
  balance: 'FAKE_COGVIEW_1113',
  /** 500 `500`: internal error. */
  serverError: 'FAKE_COGVIEW_500',
  /** Async only: the task ends in `FAIL`. */
  taskFailure: 'FAKE_COGVIEW_TASK_FAIL',
} as const;

/** docs/providers/cogview.md §1.6 business codes with their HTTP status and the vendor's text (CN where captured, else the intl text). */
export const cogviewErrorCatalog: Record<string, { status: number; message: string }> = {
  '500': { status: 500, message: 'Internal Error' },
  '1000': { status: 401, message: 'Authentication Failed' },
  '1001': { status: 401, message: 'Authentication parameter not received in Header, unable to authenticate' },
  '1002': { status: 401, message: 'Authorization Token非法，请确认Authorization Token正确传递。' },
  '1003': { status: 401, message: 'Authentication Token expired, please regenerate/obtain' },
  '1004': { status: 401, message: 'Authentication failed with the provided Authentication Token' },
  '1112': { status: 429, message: 'Your account has been locked, please contact customer service to unlock' },
  '1113': { status: 429, message: '余额不足或无可用资源包,请充值。' },
  '1200': { status: 400, message: 'API Call Error' },
  '1210': { status: 400, message: 'Incorrect API call parameters, please check the documentation' },
  '1211': { status: 400, message: '模型不存在，请检查模型代码。' },
  '1212': { status: 400, message: '当前模型不支持async调用方式。' },
  '1213': { status: 400, message: 'prompt参数未正常接收。' },
  '1214': { status: 400, message: 'size参数非法。请检查文档。' },
  '1215': {
    status: 400,
    message: 'The two fields cannot be set simultaneously, please check the documentation',
  },
  '1301': {
    status: 400,
    message:
      '系统检测到输入或生成内容可能包含不安全或敏感内容，请您避免输入易产生敏感内容的提示语，感谢您的配合。',
  },
  '1302': { status: 429, message: '您当前使用该API的并发数过高，请降低并发，或联系客服增加限额。' },
  '1303': { status: 429, message: '您当前使用该API的频率过高，请降低频率，或联系客服增加限额。' },
  '1304': { status: 429, message: '该API的今日调用次数已达到上限，如有更多需求，请联系客服购买。' },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the vendor's own placeholder, filled in by cogviewErrorBody
  '1308': { status: 429, message: 'Usage limit reached for . Your limit will reset at ${next_flush_time}' },
};

/** A docs/providers/cogview.md §1.6 error body: `{"error":{"code","message"}}`, plus `contentFilter` for 1301. */
export function cogviewErrorBody(
  code: string,
  options: { message?: string; contentFilterRole?: 'user' | 'assistant'; requestId?: string } = {},
): Record<string, unknown> {
  const message = (options.message ?? cogviewErrorCatalog[code]?.message ?? 'Error').replace(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the vendor's placeholder
    '${next_flush_time}',
    nextFlushTime(),
  );
  return {
    // docs/providers/cogview.md §1.6: the refusal body carries a camelCase top-level contentFilter.
    ...(code === '1301' ? { contentFilter: [{ level: 1, role: options.contentFilterRole ?? 'user' }] } : {}),
    error: { code, message },
    ...(options.requestId ? { request_id: options.requestId } : {}),
  };
}

/** A fault for `fake.inject()` that answers with the vendor's error for `code`. */
export function cogviewErrorFault(code: string, headers: Record<string, string> = {}): Fault {
  return {
    kind: 'status',
    status: cogviewErrorCatalog[code]?.status ?? 400,
    body: cogviewErrorBody(code),
    headers,
  };
}

/** docs/providers/cogview.md §1.6 1308 names the reset as `${next_flush_time}`; its format is (unverified): Beijing time, one hour on. */
function nextFlushTime(): string {
  return new Date(Date.now() + 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
