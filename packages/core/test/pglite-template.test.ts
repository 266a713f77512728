import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase } from '@uig/core';

// The template lives in the temp folder: this file gets one of its own.
const temp = t.testdir();
process.env.TMPDIR = temp;
const uid = process.getuid?.();

function template(): string | undefined {
  const name = readdirSync(temp).find(
    (entry) => entry.startsWith(`uig-pglite-${uid}-`) && !/\.\d+$/.test(entry),
  );
  return name ? join(temp, name) : undefined;
}

async function open(dataDir: string): Promise<number> {
  const database = createDatabase({ dataDir });
  try {
    await database.ready();
    const [row] = await database.query<{ one: number }>('SELECT 1 AS one');
    return row!.one;
  } finally {
    await database.close();
  }
}

t.test('the first new database leaves a private template; the next folders start as its copy', async (t) => {
  t.equal(await open(join(temp, 'first')), 1);
  const path = template();
  t.ok(path, 'a template in the temp folder');
  t.equal(statSync(path!).mode & 0o777, 0o700, 'only this user may enter it');
  // A marker in the template shows that the next folder is a copy of it.
  writeFileSync(join(path!, 'uig-marker'), 'x');
  t.equal(await open(join(temp, 'second')), 1);
  t.ok(existsSync(join(temp, 'second', 'usage-db', 'uig-marker')), 'copied from the template');
});

t.test('a template a temp cleaner broke is replaced, and the new folder still opens', async (t) => {
  const path = template()!;
  // What systemd-tmpfiles leaves when it prunes files it has not seen used.
  rmSync(join(path, 'global', 'pg_control'));
  t.equal(await open(join(temp, 'third')), 1, 'the database opens (initdb instead of the copy)');
  t.ok(existsSync(join(temp, 'third', 'usage-db', 'global', 'pg_control')));
  t.notOk(existsSync(join(temp, 'third', 'usage-db', 'uig-marker')), 'not the broken copy');
  t.ok(existsSync(join(template()!, 'global', 'pg_control')), 'a whole template again');
});

t.test('a template that cannot be copied is replaced, and the new folder still opens', async (t) => {
  const path = template()!;
  // Node's cp refuses a FIFO: the copy fails part way.
  execFileSync('mkfifo', [join(path, 'uig-fifo')]);
  t.equal(await open(join(temp, 'fourth')), 1, 'the database opens (initdb instead of the copy)');
  t.ok(existsSync(join(temp, 'fourth', 'usage-db', 'PG_VERSION')));
  t.notOk(existsSync(join(temp, 'fourth', 'usage-db.partial')), 'no half copy left');
  t.notOk(existsSync(join(template()!, 'uig-fifo')), 'a new template');
});
