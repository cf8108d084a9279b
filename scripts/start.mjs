// `npm start`: checks the Node version, then runs the server with tsx in this same process,
// so signals (Ctrl-C, SIGTERM) reach the app directly.
import { spawn, spawnSync } from 'node:child_process';
import './check-node.mjs';

// The embedded admin is built from web/ on every start (about 2 s), so it is never stale.
const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
