// `npm start`: checks the Node version, then runs the server with tsx in this same process,
// so signals (Ctrl-C, SIGTERM) reach the app directly.
import { spawn } from 'node:child_process';
import './check-node.mjs';

const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
