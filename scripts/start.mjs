// `npm start`: checks the Node version, then runs the server in a child process and passes it
// signals (Ctrl-C, SIGTERM). Production runs the ahead-of-time build (`npm run build`,
// dist/server/main.js) on plain Node; dev mode builds the admin and runs the TypeScript with tsx.
//
// npm runs this through `sh -c`, and a shell waiting on a command dies of SIGTERM without passing
// it on; package.json's `exec` makes this process the one npm signals. Whatever sits above, this
// process stops its child when it is signalled or orphaned, and exits with the child's status.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { constants } from 'node:os';
import './check-node.mjs';

const BUILT_SERVER = 'dist/server/main.js';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

let child = null;
let stopping = null;

/** The shell convention: killed by signal N exits 128 + N. */
const statusOf = (code, signal) => code ?? 128 + (constants.signals[signal] ?? 0);

function stop(signal) {
  stopping ??= signal;
  if (child) child.kill(signal);
  else process.exit(statusOf(null, signal));
}

for (const signal of SIGNALS) process.on(signal, () => stop(signal));

// npm killed with SIGKILL (or a shell that does not pass signals on) leaves this process orphaned.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop('SIGTERM');
}, 1_000).unref();

const ADMIN_MANIFEST = 'web/dist/.vite/manifest.json';

/** The newest modification time under `dir`, leaving out the build's own output. */
function newestChange(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(file) : statSync(file).mtimeMs);
  }
  return newest;
}

/** Whether the admin was built after the last change to `web/` or to the installed packages. */
function adminBuildIsCurrent() {
  if (!existsSync(ADMIN_MANIFEST)) return false;
  const builtAt = statSync(ADMIN_MANIFEST).mtimeMs;
  return newestChange('web') < builtAt && statSync('package-lock.json').mtimeMs < builtAt;
}

/** Runs one child to its end; resolves with its exit status. */
function run(args) {
  return new Promise((resolve) => {
    child = spawn(process.execPath, args, { stdio: 'inherit' });
    if (stopping) child.kill(stopping);
    child.on('exit', (code, signal) => {
      child = null;
      resolve(statusOf(code, signal));
    });
  });
}

async function main() {
  if (process.env.NODE_ENV === 'production') {
    if (!existsSync(BUILT_SERVER)) {
      console.error(`${BUILT_SERVER} is missing: run \`npm run build\` (with dev dependencies installed) before \`npm start\` in production.`);
      return 1;
    }
    return run(['--enable-source-maps', BUILT_SERVER]);
  }
  // The embedded admin is built from web/ on a dev start whenever web/ or the packages changed
  // since the last build (a build takes a few seconds), so it is never stale.
  if (!adminBuildIsCurrent()) {
    const built = await run(['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts']);
    if (built !== 0 || stopping) return stopping ? statusOf(null, stopping) : built;
  }
  return run(['--import', 'tsx', 'server/main.ts']);
}

process.exit(await main());
