import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * docs/api.md's error table lists every `code` the source can put in an error envelope:
 * every `code: 'SOME_CODE'` given to an error in any package's src (core's classes in
 * errors.ts, the adapters' checks, the MCP tools) and the envelopes the gateway writes
 * itself (error-envelope.ts, the 404 of an unknown route). A code added without a line
 * in the table fails here.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** `code:` literals that are not envelope codes. */
const notEnvelopeCodes = new Map([
  ['enotfound', "a Node DNS error's code, raised inside the SSRF guard's resolver"],
  ['ledger_unavailable', 'a log field of the usage ledger failure line, not an answer'],
]);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function codesInSource(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      // The testkit holds vendor fakes: their codes are the vendors', not the gateway's.
      if (name === 'testkit') continue;
      const src = join(root, group, name, 'src');
      if (!statSync(join(root, group, name)).isDirectory()) continue;
      let files: string[];
      try {
        files = sourceFiles(src);
      } catch {
        continue;
      }
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/\bcode: '([A-Z][A-Z0-9_]+)'/g))
          codes.set(match[1]!.toLowerCase(), file.slice(root.length + 1));
        if (file.endsWith('error-envelope.ts'))
          for (const match of text.matchAll(/make\(\s*\d{3},\s*'[a-z_]+',\s*'([a-z_]+)'/g))
            codes.set(match[1]!, file.slice(root.length + 1));
        if (file.endsWith(join('gateway', 'src', 'app.ts')))
          for (const match of text.matchAll(/\bcode: '([a-z][a-z0-9_]+)'/g))
            codes.set(match[1]!, file.slice(root.length + 1));
      }
    }
  }
  for (const code of notEnvelopeCodes.keys()) codes.delete(code);
  return codes;
}

t.test('every error code the source defines is in docs/api.md', async (t) => {
  const api = readFileSync(join(root, 'docs/api.md'), 'utf8');
  const codes = codesInSource();
  t.ok(codes.size > 60, `collected ${codes.size} codes`);
  for (const required of [
    'unsupported_capability',
    'no_image_returned',
    'storage_unavailable',
    'internal_error',
  ])
    t.ok(codes.has(required), `the scan finds ${required}`);
  for (const [code, file] of codes) t.ok(api.includes(`\`${code}\``), `${code} (${file}) is documented`);
});
