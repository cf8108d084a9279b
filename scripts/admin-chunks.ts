/**
 * The admin's chunks as Vite's manifest (web/dist/.vite/manifest.json) lists them: what the first
 * load fetches (index.html's entry and every chunk it imports statically, with their CSS) and, for
 * each page loaded on demand, what opening it fetches beyond that.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  css?: string[];
}

export interface ChunkFiles {
  js: string[];
  css: string[];
}

export interface AdminChunks {
  initial: ChunkFiles;
  /** Keyed by the page's source file under web/, e.g. `src/pages/ProgramPage.tsx`. */
  pages: Map<string, ChunkFiles>;
}

/** A chunk and everything it imports statically, as manifest keys. */
function withStaticImports(manifest: Record<string, ManifestChunk>, key: string, into = new Set<string>()): Set<string> {
  if (into.has(key)) return into;
  into.add(key);
  for (const imported of manifest[key]?.imports ?? []) withStaticImports(manifest, imported, into);
  return into;
}

function filesOf(manifest: Record<string, ManifestChunk>, keys: Iterable<string>): ChunkFiles {
  const js = new Set<string>();
  const css = new Set<string>();
  for (const key of keys) {
    js.add(manifest[key]!.file);
    for (const file of manifest[key]!.css ?? []) css.add(file);
  }
  return { js: [...js], css: [...css] };
}

/** Reads the manifest of a built admin (`dist` is web/dist); file names are relative to it. */
export function adminChunks(dist: string): AdminChunks {
  const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
  if (!entry) throw new Error(`no entry in ${dist}/.vite/manifest.json`);
  const initialKeys = withStaticImports(manifest, entry);
  const pages = new Map<string, ChunkFiles>();
  for (const [key, chunk] of Object.entries(manifest)) {
    if (!chunk.isDynamicEntry) continue;
    const extra = [...withStaticImports(manifest, key)].filter((imported) => !initialKeys.has(imported));
    pages.set(chunk.src ?? key, filesOf(manifest, extra));
  }
  return { initial: filesOf(manifest, initialKeys), pages: new Map([...pages].sort(([a], [b]) => a.localeCompare(b))) };
}
