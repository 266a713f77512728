import t from 'tap';
import { readFileSync } from 'node:fs';

/**
 * No container runtime runs in CI, so the Dockerfile is held to what the packed-install
 * test proves: it installs the tarball with the same script, as a non-root user, with
 * data in the /data volume, the startup refusal of an open public gateway intact, and a
 * health check on /readyz.
 */
const read = (name: string) => readFileSync(new URL(`../../../${name}`, import.meta.url), 'utf8');

t.test('the Dockerfile installs the tested tarball the tested way', async (t) => {
  const dockerfile = read('Dockerfile');
  t.match(dockerfile, /RUN pnpm install --frozen-lockfile && pnpm pack:all/);
  t.match(dockerfile, /RUN sh \/tmp\/uig\/install-packed\.sh \/opt\/uig \/tmp\/uig\/uig-\*\.tgz/);
  t.match(dockerfile, /^USER node$/m);
  t.match(dockerfile, /^VOLUME \/data$/m);
  t.match(dockerfile, /ENV .*HOST=0\.0\.0\.0.*UIG_DATA_DIR=\/data/);
  t.notMatch(dockerfile, /UIG_API_KEYS=/, 'no built-in client key: the refusal stays');
  t.match(dockerfile, /HEALTHCHECK [\s\S]*\/readyz/);
  t.match(dockerfile, /ENTRYPOINT \["\/opt\/uig\/node_modules\/\.bin\/uig"\]/);
});

t.test('compose runs the gateway with Redis and requires client keys', async (t) => {
  const compose = read('compose.yaml');
  t.match(compose, /UIG_API_KEYS: \$\{UIG_API_KEYS:\?/);
  t.match(compose, /UIG_REDIS_URL: redis:\/\/redis:6379/);
  t.match(compose, /- uig-data:\/data/);
});
