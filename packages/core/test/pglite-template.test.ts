import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase } from '@uig/core';

// The template lives in the temp folder: this file gets one of its own.
const temp = t.testdir();
process.env.TMPDIR = temp;
const uid = process.getuid?.();

function template(): string | undefined {
  const name = readdirSync(temp).find(
    // The one holding a database (a test below adds empty folders of other versions).
    (entry) => entry.startsWith(`uig-pglite-${uid}-`) && existsSync(join(temp, entry, 'PG_VERSION')),
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

t.test("writing a template removes older versions' tarballs and their stale templates", async (t) => {
  rmSync(template()!, { recursive: true, force: true });
  const legacy = join(temp, `uig-pglite-${uid}-0123456789ab.tar.gz`);
  const stale = join(temp, `uig-pglite-${uid}-aaaaaaaaaaaa`);
  const recent = join(temp, `uig-pglite-${uid}-bbbbbbbbbbbb`);
  const unrelated = join(temp, 'uig-pglite-notes.txt');
  writeFileSync(legacy, 'old tarball');
  writeFileSync(unrelated, 'not ours to remove');
  for (const folder of [stale, recent]) mkdirSync(folder, { mode: 0o700 });
  const longAgo = new Date(Date.now() - 40 * 24 * 3_600_000);
  utimesSync(stale, longAgo, longAgo);
  t.equal(await open(join(temp, 'fifth')), 1);
  t.ok(template(), 'a new template');
  t.notOk(existsSync(legacy), 'the old tarball is gone');
  t.notOk(existsSync(stale), 'a template not written for 40 days is gone');
  t.ok(existsSync(recent), "another version's recent template stays");
  t.ok(existsSync(unrelated), 'a file of another name stays');
});
