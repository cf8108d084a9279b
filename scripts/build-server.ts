// `npm run build`: the server for production, bundled ahead of time into dist/server/main.js, so
// production runs plain JavaScript on Node (no tsx) and needs only `dependencies`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Packages production never loads: the embedded database's mongod helper and the dev tools. */
export const DEV_ONLY_PACKAGES = ['mongodb-memory-server', 'tsx', 'liquidjs'] as const;

/**
 * The devstore (and mongodb-memory-server, which only the embedded dev database uses) are loaded
 * by dynamic imports that production never reaches; in the bundle they become a module that
 * refuses, so neither they nor what they import are part of the production build.
 */
const leaveOutDevOnly: Plugin = {
  name: 'leave-out-dev-only',
  setup(plugin) {
    plugin.onResolve({ filter: /(^|\/)devstore\/|^mongodb-memory-server$/ }, (args) => ({ path: args.path, namespace: 'dev-only' }));
    plugin.onLoad({ filter: /.*/, namespace: 'dev-only' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is for dev mode only and is not part of the production build`)});`,
      loader: 'js',
    }));
  },
};

/** esbuild's options for the production server; `outdir` must sit two folders below the repository (dist/server) so web/dist resolves. */
export function serverBuildOptions(outdir = path.join(root, 'dist', 'server')): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: root,
    entryPoints: { main: path.join(root, 'server', 'main.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [leaveOutDevOnly],
  };
}

export async function buildServer(outdir?: string): Promise<Metafile> {
  return (await build(serverBuildOptions(outdir))).metafile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const metafile = await buildServer();
  const [output] = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.js'));
  console.log(`built ${output?.[0]} (${Math.round((output?.[1].bytes ?? 0) / 1024)} KB) from ${Object.keys(metafile.inputs).length} modules`);
}
