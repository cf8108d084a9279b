import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionBundle } from '../../scripts/sizes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(root, 'node_modules', '@shopify', 'cli', 'bin', 'run.js');
/** Its Wasm step downloads javy and a plugin at build time, so `app build` here leaves it out (typegen and tsc check it below). */
const FUNCTION_DIR = 'tally-discount';
/** Types Shopify CLI learns from Shopify's API once logged in: offline its loader has no specification for them. */
const ONLINE_ONLY_TYPES = ['flow_trigger_lifecycle_callback'];
/** The UI extensions, each built by the CLI into dist/<handle>.js. */
const UI_EXTENSIONS = ['tally-checkout', 'tally-customer-account', 'tally-pos'];

interface Run {
  code: number;
  output: string;
}

/** Runs Shopify CLI as a developer would, offline: no analytics, its caches in a home of its own. */
function shopify(args: string[], cwd: string, home: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd,
        env: { PATH: process.env.PATH, HOME: home, CI: '1', SHOPIFY_CLI_NO_ANALYTICS: '1', NODE_ENV: 'development' },
        maxBuffer: 32 * 1024 * 1024,
        timeout: 240_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

/** The extension types each extension directory's TOML declares: the top-level `type`, or each `[[extensions]]`'s. */
function declaredTypes(appDir: string, dirs: string[]): string[] {
  return dirs.flatMap((dir) => {
    const toml = readFileSync(path.join(appDir, 'extensions', dir, 'shopify.extension.toml'), 'utf8');
    // Sections by header; only the file's top and [[extensions]] tables name extension types.
    const sections = toml.split(/^(?=\[)/m).filter((section) => !section.startsWith('[') || section.startsWith('[[extensions]]'));
    return sections.flatMap((section) => [...section.matchAll(/^type = "([^"]+)"$/gm)].map((match) => match[1]!));
  });
}

const countBy = (items: string[]): Record<string, number> =>
  items.reduce<Record<string, number>>((counts, item) => ({ ...counts, [item]: (counts[item] ?? 0) + 1 }), {});

describe('Shopify CLI (npm @shopify/cli, pinned) checks the app offline', () => {
  let work: string;
  let app: string;
  let home: string;
  let extensionDirs: string[];

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'tally-shopify-cli-'));
    app = path.join(work, 'app');
    home = path.join(work, 'home');
    mkdirSync(home);
    mkdirSync(app);
    // A copy of the app as the CLI sees it, so build output and .shopify/ stay out of the checkout.
    for (const file of ['shopify.app.toml', 'shopify.web.toml', 'package.json']) cpSync(path.join(root, file), path.join(app, file));
    // The web process's build is `npm run build` over the whole checkout (the production build test
    // runs it); the copy keeps shopify.web.toml's every other field for the loader to check.
    const web = path.join(app, 'shopify.web.toml');
    writeFileSync(web, readFileSync(web, 'utf8').replace(/^build = .*\n/m, ''));
    cpSync(path.join(root, 'extensions'), path.join(app, 'extensions'), {
      recursive: true,
      filter: (source) => !/[\\/](node_modules|dist|generated)$/.test(source),
    });
    symlinkSync(path.join(root, 'node_modules'), path.join(app, 'node_modules'), 'dir');
    extensionDirs = readdirSync(path.join(app, 'extensions'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(app, 'extensions', entry.name, 'shopify.extension.toml')))
      .map((entry) => entry.name)
      .sort();
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(
    '`shopify app build` loads the app, its web process and every extension with zero errors (the function aside: its Wasm is a deploy step)',
    { timeout: 300_000 },
    async () => {
      const built = extensionDirs.filter((dir) => dir !== FUNCTION_DIR);
      const config = path.join(app, 'shopify.app.toml');
      const toml = readFileSync(config, 'utf8');
      writeFileSync(
        config,
        toml.replace(/^embedded = true$/m, `$&\nextension_directories = [${built.map((dir) => `"extensions/${dir}"`).join(', ')}]`),
      );

      const run = await shopify(['app', 'build', '--skip-dependencies-installation', '--verbose', '--path', app], app, home).finally(() =>
        writeFileSync(config, toml),
      );
      if (run.code !== 0)
        console.error(
          run.output
            .split('\n')
            .filter((line) => !/^\s+"/.test(line))
            .slice(-60)
            .join('\n'),
        );
      expect({ code: run.code, errors: run.output.match(/╭─ error[\s\S]*?╰/g) ?? [] }).toEqual({ code: 0, errors: [] });
      expect(run.output).not.toMatch(/Invalid extension|Unsupported section|Validation errors|Missing handle/);

      // The CLI's own account of what its loader found (the metadata it logs with --verbose).
      const metadata = (key: string): unknown => {
        const line = new RegExp(`^\\s*"${key}": (.*?),?$`, 'm').exec(run.output);
        return line ? JSON.parse(line[1]!) : undefined;
      };
      const breakdown = JSON.parse(String(metadata('app_extensions_breakdown'))) as Record<string, number>;
      const declared = declaredTypes(app, built);
      expect(declared.filter((type) => !(type in breakdown))).toEqual(ONLINE_ONLY_TYPES);
      expect(breakdown).toEqual(countBy(declared.filter((type) => !ONLINE_ONLY_TYPES.includes(type))));
      expect(Object.values(breakdown).reduce((sum, count) => sum + count, 0)).toBe(built.length - ONLINE_ONLY_TYPES.length);
      expect({ backends: metadata('app_web_backend_count'), frontends: metadata('app_web_frontend_count') }).toEqual({ backends: 1, frontends: 1 });
      for (const extension of UI_EXTENSIONS) expect(run.output).toContain(`${extension} successfully built`);

      // `npm run sizes` measures what the CLI ships: the same bytes, one bundle per extension.
      for (const extension of UI_EXTENSIONS) {
        const shipped = readFileSync(path.join(app, 'extensions', extension, 'dist', `${extension}.js`));
        const measured = Buffer.from((await extensionBundle(extension)).code);
        expect(measured.byteLength, extension).toBe(shipped.byteLength);
        expect(measured.equals(shipped), extension).toBe(true);
      }
    },
  );

  it(
    "`shopify app function typegen` generates the Discount Function's types from its query, and the function type-checks against them",
    { timeout: 300_000 },
    async () => {
      const functionDir = path.join(app, 'extensions', FUNCTION_DIR);
      const run = await shopify(['app', 'function', 'typegen', '--path', functionDir], app, home);
      expect({ code: run.code, errors: run.output.match(/╭─ error[\s\S]*?╰/g) ?? [] }).toEqual({ code: 0, errors: [] });
      // The codegen it runs (npm exec graphql-code-generator) is the one installed, never fetched.
      expect(run.output).not.toMatch(/will be installed/);
      expect(existsSync(path.join(functionDir, 'generated', 'api.ts'))).toBe(true);

      // Shopify's input as typegen types it must be what the function accepts, and what it returns
      // must be Shopify's result type (its enums compared as the strings they are on the wire).
      writeFileSync(
        path.join(functionDir, 'typecheck.ts'),
        [
          "import type { CartInput, CartLinesDiscountsGenerateRunResult } from './generated/api';",
          "import { cartLinesDiscountsGenerateRun } from './src/index';",
          'type Wire<T> = T extends string ? `${T}` : T extends Array<infer Item> ? Array<Wire<Item>> : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;',
          'export const run = (input: CartInput): Wire<CartLinesDiscountsGenerateRunResult> => cartLinesDiscountsGenerateRun(input);',
          '',
        ].join('\n'),
      );
      writeFileSync(
        path.join(functionDir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: 'ES2022',
            module: 'ESNext',
            moduleResolution: 'Bundler',
            skipLibCheck: true,
            types: [],
          },
          include: ['typecheck.ts', 'src/**/*.ts', 'generated/api.ts'],
        }),
      );
      const tsc = await new Promise<Run>((resolve) =>
        execFile(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', functionDir], (error, stdout, stderr) =>
          resolve({ code: error ? 1 : 0, output: `${stdout}${stderr}` }),
        ),
      );
      expect(tsc).toEqual({ code: 0, output: '' });
    },
  );
});
