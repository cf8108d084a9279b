// `npm start`: checks the Node version, then runs the server in a child process and passes it
// signals (Ctrl-C, SIGTERM). Production runs the ahead-of-time build (`npm run build`,
// dist/server/main.js) on plain Node; dev mode builds the admin and runs the TypeScript with tsx.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import './check-node.mjs';

const BUILT_SERVER = 'dist/server/main.js';

function run(args) {
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.env.NODE_ENV === 'production') {
  if (!existsSync(BUILT_SERVER)) {
    console.error(`${BUILT_SERVER} is missing: run \`npm run build\` (with dev dependencies installed) before \`npm start\` in production.`);
    process.exit(1);
  }
  run(['--enable-source-maps', BUILT_SERVER]);
} else {
  // The embedded admin is built from web/ on every dev start (about 2 s), so it is never stale.
  const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  run(['--import', 'tsx', 'server/main.ts']);
}
