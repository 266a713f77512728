import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Portkey gateway the benchmark compares against. It is not a dependency of the
 * workspace (every `pnpm install` would fetch it for users who never benchmark): the
 * first `pnpm bench` installs this pinned version into bench/.portkey (git-ignored),
 * later runs reuse it.
 */
const portkeyVersion = '1.15.2';
const installRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '.portkey');

/** The folder of the installed `@portkey-ai/gateway` package, installing it on first use. */
export function portkeyPackageDirectory(): string {
  const directory = join(installRoot, 'node_modules', '@portkey-ai', 'gateway');
  const manifest = join(directory, 'package.json');
  const installed =
    existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  if (installed !== portkeyVersion) {
    process.stderr.write(`bench: installing @portkey-ai/gateway@${portkeyVersion} into bench/.portkey …\n`);
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        installRoot,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
        `@portkey-ai/gateway@${portkeyVersion}`,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
  }
  return directory;
}
