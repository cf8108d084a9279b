// Reports how server/'s capabilities depend on each other, from dependency-cruiser's reading of the
// imports (type-only imports count): the capabilities that sit in a cycle, how many distinct cycles
// there are, and every import that goes up a layer or sideways outside scripts/capability-layers.cjs.
// `npm run deps` is the check that fails CI; this is the measurement behind docs/architecture.md.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

interface Module {
  source: string;
  dependencies: Array<{ resolved: string; dependencyTypes: string[] }>;
}

const { LAYERS, BESIDE } = createRequire(import.meta.url)('./capability-layers.cjs') as {
  LAYERS: string[][];
  BESIDE: Record<string, string[]>;
};

function capabilityOf(path: string): string | null {
  if (!path.startsWith('server/')) return null;
  const match = /^server\/([^/]+)\//.exec(path);
  return match ? match[1]! : '(root)';
}

/** A folder in no layer sits outside the layering: every import from or to it is reported. */
function layerOf(capability: string): number | null {
  const layer = LAYERS.findIndex((names) => names.includes(capability));
  return layer < 0 ? null : layer;
}

function allowedImport(from: string, to: string): boolean {
  const [fromLayer, toLayer] = [layerOf(from), layerOf(to)];
  if (fromLayer === null || toLayer === null) return false;
  return toLayer < fromLayer || (BESIDE[from] ?? []).includes(to);
}

/** Strongly connected components of more than one capability (Tarjan). */
function cyclicComponents(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!));
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      for (let member = stack.pop(); ; member = stack.pop()) {
        component.push(member!);
        if (member === node) break;
      }
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return components;
}

/** Distinct elementary cycles: each counted once, from its smallest member. */
function countCycles(graph: Map<string, Set<string>>): { count: number; shortest: number; longest: number } {
  const nodes = [...graph.keys()].sort();
  let count = 0;
  let shortest = Infinity;
  let longest = 0;
  for (const start of nodes) {
    const path = [start];
    const onPath = new Set(path);
    const walk = (node: string) => {
      for (const next of graph.get(node) ?? []) {
        if (next === start) {
          count++;
          shortest = Math.min(shortest, path.length);
          longest = Math.max(longest, path.length);
        } else if (next > start && !onPath.has(next)) {
          path.push(next);
          onPath.add(next);
          walk(next);
          path.pop();
          onPath.delete(next);
        }
      }
    };
    walk(start);
  }
  return { count, shortest: count ? shortest : 0, longest };
}

const modules = (
  JSON.parse(
    execFileSync('depcruise', ['server', '--no-config', '--ts-config', 'tsconfig.json', '--ts-pre-compilation-deps', '--output-type', 'json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }),
  ) as { modules: Module[] }
).modules;

const graph = new Map<string, Set<string>>();
const wrongWay: string[] = [];
const filesInCycles = new Set<string>();
for (const module of modules) {
  const from = capabilityOf(module.source);
  if (!from) continue;
  if (!graph.has(from)) graph.set(from, new Set());
  for (const dependency of module.dependencies) {
    const to = capabilityOf(dependency.resolved);
    if (!to || to === from) continue;
    graph.get(from)!.add(to);
    if (!allowedImport(from, to))
      wrongWay.push(`${module.source} -> ${dependency.resolved}${dependency.dependencyTypes.includes('type-only') ? ' (type)' : ''}`);
  }
}
const components = cyclicComponents(graph);
for (const module of modules) {
  const from = capabilityOf(module.source);
  const component = components.find((members) => from && members.includes(from));
  if (
    component &&
    module.dependencies.some(
      (dependency) => component.includes(capabilityOf(dependency.resolved) ?? '') && capabilityOf(dependency.resolved) !== from,
    )
  )
    filesInCycles.add(module.source);
}
const cycles = countCycles(graph);
console.log(`capabilities: ${graph.size}`);
console.log(`in cycles: ${components.map((members) => `${members.length} (${members.join(', ')})`).join('; ') || 'none'}`);
console.log(`distinct cycles between capabilities: ${cycles.count}${cycles.count ? ` (lengths ${cycles.shortest}-${cycles.longest})` : ''}`);
console.log(`files importing across a cycle: ${filesInCycles.size}`);
console.log(`imports up a layer or sideways outside BESIDE: ${wrongWay.length} in ${new Set(wrongWay.map((line) => line.split(' ')[0])).size} files`);
for (const line of wrongWay.sort()) console.log(`  ${line}`);
