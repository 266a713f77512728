import { readFile, writeFile } from 'node:fs/promises';

/**
 * Puts the generated tables into docs/benchmarks.md between two markers, leaving the
 * written explanation around them as it is. Without the markers the section is
 * appended.
 */
const resultsStart = '<!-- bench:results:start (written by `pnpm bench --write-docs`) -->';
const resultsEnd = '<!-- bench:results:end -->';

export async function writeBenchmarksDoc(path: string, generated: string): Promise<void> {
  const current = await readFile(path, 'utf8').catch(() => '# Benchmarks\n');
  const block = `${resultsStart}\n${generated.trim()}\n${resultsEnd}`;
  const start = current.indexOf(resultsStart);
  const end = current.indexOf(resultsEnd);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + block + current.slice(end + resultsEnd.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  await writeFile(path, next);
}
