// Bundles the `uig` command: the workspace's own packages (@uig/*) are compiled into
// dist/ from their TypeScript sources, every third-party import stays an import. The
// published package.json then depends on exactly those third-party packages, at the
// ranges the workspace packages that import them declare (see docs/architecture.md,
// "What is published").
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const builtins = new Set(builtinModules);

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
const packageNameOf = (specifier) => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
};

const manifestCache = new Map();
/** The package.json that owns `file` (the nearest one above it). */
function owningManifest(file) {
  for (let directory = dirname(file); ; directory = dirname(directory)) {
    if (manifestCache.has(directory)) return manifestCache.get(directory);
    const path = join(directory, 'package.json');
    if (existsSync(path)) {
      const manifest = { path, json: JSON.parse(readFileSync(path, 'utf8')) };
      manifestCache.set(directory, manifest);
      return manifest;
    }
    if (dirname(directory) === directory) throw new Error(`no package.json above ${file}`);
  }
}

/**
 * Writes dist/ and returns the third-party dependencies of the bundle, `{ name: range }`.
 * Fails when a workspace package imports a package its package.json does not declare,
 * or when two declare different ranges of one package.
 */
export async function bundle() {
  const dependencies = new Map();
  const problems = [];
  rmSync(join(packageDirectory, 'dist'), { recursive: true, force: true });
  await build({
    absWorkingDir: packageDirectory,
    entryPoints: ['src/cli.ts'],
    outdir: 'dist',
    bundle: true,
    // The MCP server does not load Fastify, nor the gateway the MCP SDK: one chunk per command.
    splitting: true,
    // Chunks beside cli.js: code that reads ../package.json finds the package's own.
    chunkNames: '[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['uig-source'],
    logLevel: 'warning',
    plugins: [
      {
        name: 'third-party-external',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith('@uig/')) return undefined;
            if (args.path.startsWith('node:') || builtins.has(args.path)) return { external: true };
            const name = packageNameOf(args.path);
            const owner = owningManifest(args.importer);
            const range = owner.json.dependencies?.[name];
            const where = relative(packageDirectory, owner.path);
            // A development dependency is imported only on a development path (the playground
            // bundles its page with esbuild when it runs from source; the bundle ships the page
            // prebuilt): left external, not published.
            if (!range && owner.json.devDependencies?.[name]) return { external: true };
            if (!range) problems.push(`${where} imports ${name} but does not list it in dependencies`);
            else if (dependencies.has(name) && dependencies.get(name).range !== range)
              problems.push(
                `${name}: ${where} wants ${range}, ${dependencies.get(name).where} wants ${dependencies.get(name).range}`,
              );
            else dependencies.set(name, { range, where });
            return { external: true };
          });
        },
      },
    ],
  });
  if (problems.length > 0) throw new Error(`uig bundle:\n  ${problems.join('\n  ')}`);
  // The playground's page, prebuilt where its loader looks first (dist/assets beside the chunk).
  const playground = join(packageDirectory, '..', 'playground');
  execFileSync(process.execPath, ['--import', 'tsx', join(playground, 'scripts', 'bundle.ts')], {
    cwd: playground,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cpSync(join(playground, 'dist', 'assets'), join(packageDirectory, 'dist', 'assets'), { recursive: true });
  return Object.fromEntries(
    [...dependencies.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, { range }]) => [name, range]),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dependencies = await bundle();
  console.log(`uig: dist/ written; third-party dependencies: ${Object.keys(dependencies).join(', ')}`);
}
