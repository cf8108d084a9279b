import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const launcherDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'launcher');
const projectRoot = path.resolve(launcherDir, '..', '..', '..', '..');
const binDir = path.join(projectRoot, 'node_modules', '.cache', 'tally');

export interface LauncherBuild {
  binary: string;
  /** Milliseconds the Go build took; 0 when a binary for these sources already existed. */
  buildMs: number;
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

export async function goToolchainAvailable(): Promise<boolean> {
  try {
    return (await run('go', ['version'], projectRoot)).code === 0;
  } catch {
    return false;
  }
}

/**
 * Builds the FerretDB launcher with the Go toolchain unless a binary for the same sources exists.
 * The binary's name carries a hash of the sources, and it is renamed into place, so concurrent
 * builds (several test workers) are safe; Go's own module and build caches make rebuilds fast.
 */
export async function ensureLauncherBuilt(): Promise<LauncherBuild> {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(await readFile(path.join(launcherDir, file)));
  const binary = path.join(binDir, `db-launcher-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(binary)) return { binary, buildMs: 0 };

  await mkdir(binDir, { recursive: true });
  const temporary = `${binary}.${process.pid}.tmp`;
  const started = Date.now();
  const result = await run('go', ['build', '-trimpath', '-o', temporary, '.'], launcherDir);
  if (result.code !== 0) {
    await rm(temporary, { force: true });
    throw new Error(`go build of the FerretDB launcher failed (in ${launcherDir}):\n${result.output}`);
  }
  await rename(temporary, binary);
  return { binary, buildMs: Date.now() - started };
}

export interface FerretDbProcess {
  uri: string;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts the launcher on `listen` with its SQLite files in `dataDir`. The launcher exits when its
 * stdin closes, so it dies with this process whatever the signal.
 */
export async function startFerretDb(binary: string, dataDir: string, listen = '127.0.0.1:0'): Promise<FerretDbProcess> {
  await mkdir(dataDir, { recursive: true });
  const child: ChildProcess = spawn(binary, ['-data', dataDir, '-listen', listen], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const uri = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`FerretDB did not start within 30 s:\n${stderr}`)), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        const ready = JSON.parse(line) as { uri?: unknown };
        if (typeof ready.uri !== 'string') throw new Error('no uri');
        resolve(ready.uri);
      } catch {
        reject(new Error(`FerretDB launcher printed an unexpected line: ${line}`));
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB exited with code ${code} before it was ready:\n${stderr}`));
    });
  });

  return {
    uri,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin?.end();
      const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(forced);
    },
  };
}
