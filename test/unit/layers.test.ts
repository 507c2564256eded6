// Layering check (ARCHITECTURE.md §3): imports between src/ folders only go down. Scans every
// import/export specifier and `import()` under src/ and fails on an import that goes up or
// sideways, unless it is one of the rules or exceptions below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const SRC = resolve(import.meta.dirname, '../../src');

/** Top to bottom; folders on one row are siblings and must not import each other. */
const ORDER: readonly (readonly string[])[] = [
  ['main'],
  ['cli'],
  ['daemon'], // the composition root: boots the services and registers the api's handlers
  ['api'],
  ['services'],
  ['image', 'volume'], // modules over layer storage; neither knows the other
  ['storage'],
  ['spec'],
  ['runtime'],
  ['network'],
  ['store'],
  ['events', 'logs', 'cgroups'],
  ['util', 'types'], // types/: record shapes (type declarations only) that any layer may take
];

/** Edges allowed beyond "strictly down": importer prefix → target prefix (paths under src/). */
const ALLOWED: readonly { from: string; to: string; typeOnly?: boolean; why: string }[] = [
  // The CLI is a thin client: of api/ it may load the client side only, never servers or handlers.
  { from: 'cli/', to: 'api/h2-client.ts', why: 'the CLI transport: gRPC over node:http2, codecs from build-time descriptors' },
  { from: 'cli/', to: 'api/build-info.ts', why: 'client block of isula version' },
  { from: 'cli/', to: 'api/generated/', typeOnly: true, why: 'wire message types' },
  { from: 'cli/', to: 'types/', typeOnly: true, why: 'the Config/HostConfig shapes that create flags build' },
  {
    from: 'cli/commands/cp.ts', to: 'storage/rootfs/',
    why: 'cp packs and extracts local trees with the path-safe code the daemon uses in containers (loaded by cp only)',
  },
];

/** Edges that break the rules today, each with the reason it stays for now. */
const EXCEPTIONS: readonly { from: string; to: string; typeOnly?: boolean; why: string }[] = [
];

function rank(dir: string): number {
  return ORDER.findIndex((row) => row.includes(dir));
}

function topOf(rel: string): string {
  const first = rel.split('/')[0] as string;
  return first.endsWith('.ts') ? first.slice(0, -3) : first;
}

function matches(list: typeof ALLOWED, from: string, to: string, typeOnly: boolean): boolean {
  return list.some((e) => from.startsWith(e.from) && to.startsWith(e.to) && (!e.typeOnly || typeOnly));
}

/** Why an import of `to` from `from` (paths relative to src/) breaks the layering, or undefined. */
export function layerViolation(from: string, to: string, typeOnly: boolean): string | undefined {
  const a = topOf(from);
  const b = topOf(to);
  if (a === b) return undefined;
  if (matches(ALLOWED, from, to, typeOnly) || matches(EXCEPTIONS, from, to, typeOnly)) return undefined;
  const ra = rank(a);
  const rb = rank(b);
  if (ra < 0 || rb < 0) return `${from} -> ${to}: folder not in the layer order`;
  if (a === 'cli' && b === 'api') return `${from} -> ${to}: the CLI may import the api's client side only`;
  if (a === 'cli' && b !== 'util') return `${from} -> ${to}: the CLI imports only the api's client side and util`;
  if (ra < rb) return undefined;
  return `${from} -> ${to}: goes ${ra === rb ? 'sideways' : 'up'}${typeOnly ? ' (import type)' : ''}`;
}

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) tsFiles(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

// a static import/export starts a line (so words in comments do not count); import() may be anywhere
const SPECIFIER = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
  /** import(): evaluated on first use, not when the importer loads */
  lazy?: boolean;
}

function srcImports(): Edge[] {
  const edges: Edge[] = [];
  for (const file of tsFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[2] ?? m[3];
      if (!spec?.startsWith('.')) continue;
      const to = relative(SRC, resolve(dirname(file), spec)).split(sep).join('/');
      if (to.startsWith('..')) continue; // proto text and other files outside src/
      edges.push({ from: relative(SRC, file).split(sep).join('/'), to, typeOnly: m[1] !== undefined, ...(m[3] !== undefined ? { lazy: true } : {}) });
    }
  }
  return edges;
}

test('the rules themselves: down is fine, up and sideways are not', () => {
  const cases: { from: string; to: string; typeOnly?: boolean; bad: boolean }[] = [
    { from: 'services/containers/service.ts', to: 'runtime/runtime.ts', bad: false },
    { from: 'daemon/config.ts', to: 'util/units.ts', bad: false },
    { from: 'daemon/config.ts', to: 'cli/flags.ts', bad: true }, // the import this test was written for
    { from: 'api/isula/system.ts', to: 'daemon/system-info.ts', typeOnly: true, bad: true },
    { from: 'runtime/lcr/driver.ts', to: 'services/containers/service.ts', bad: true },
    { from: 'logs/json-file-reader.ts', to: 'events/bus.ts', bad: true },
    { from: 'storage/layers.ts', to: 'image/types.ts', typeOnly: true, bad: true },
    { from: 'cli/commands/ps.ts', to: 'api/server.ts', bad: true },
    { from: 'cli/commands/ps.ts', to: 'api/generated/containers/Container.ts', typeOnly: true, bad: false },
    { from: 'cli/commands/ps.ts', to: 'api/generated/containers/Container.ts', bad: true },
    { from: 'cli/commands/ps.ts', to: 'image/registry/client.ts', bad: true },
    { from: 'cli/commands/ps.ts', to: 'daemon/wire.ts', bad: true },
    { from: 'daemon/boot.ts', to: 'api/isula/index.ts', bad: false },
    { from: 'main.ts', to: 'cli/index.ts', bad: false },
  ];
  for (const c of cases) {
    assert.equal(layerViolation(c.from, c.to, c.typeOnly ?? false) !== undefined, c.bad, `${c.from} -> ${c.to}`);
  }
});

test('src/ imports only go down (ARCHITECTURE.md §3)', () => {
  const edges = srcImports();
  // the scanner must see the real graph, or this test would pass on nothing
  assert.ok(edges.some((e) => e.from === 'main.ts' && e.to.startsWith('cli/')), 'scanner found main -> cli');
  assert.ok(edges.some((e) => e.typeOnly), 'scanner found import type');
  const bad = edges.map((e) => layerViolation(e.from, e.to, e.typeOnly)).filter((v) => v !== undefined);
  assert.deepEqual(bad, []);
});

test('src/types/ holds type declarations only (importing it loads nothing)', () => {
  const files = tsFiles(join(SRC, 'types'));
  assert.ok(files.length > 0, 'src/types/ has files');
  for (const file of files) {
    // top-level statements, comments aside: only `export interface`, `export type` and `import type`
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const heads = code.split('\n').filter((l) => /^\S/.test(l) && !/^[}\])]/.test(l));
    for (const h of heads) assert.match(h, /^(export (interface|type) |import type )/, `${relative(SRC, file)}: ${h}`);
  }
});

test('every exception is still needed', () => {
  const edges = srcImports();
  for (const e of EXCEPTIONS) {
    assert.ok(
      edges.some((x) => x.from.startsWith(e.from) && x.to.startsWith(e.to)),
      `exception ${e.from} -> ${e.to} no longer used; remove it`,
    );
  }
});

/**
 * Import cycles among modules (static value imports; `import type` and import() do not load the
 * target when the importer loads). Each cycle is the files of one strongly connected component.
 */
export function importCycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (e.typeOnly || e.lazy) continue;
    const list = next.get(e.from) ?? [];
    list.push(e.to);
    next.set(e.from, list);
  }
  // Tarjan's strongly connected components
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (next.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return out;
}

test('the cycle finder: value imports in a ring are a cycle; type-only and lazy ones are not', () => {
  const e = (from: string, to: string, more: Partial<Edge> = {}): Edge => ({ from, to, typeOnly: false, ...more });
  assert.deepEqual(importCycles([e('a.ts', 'b.ts'), e('b.ts', 'c.ts'), e('c.ts', 'a.ts'), e('c.ts', 'd.ts')]), [['a.ts', 'b.ts', 'c.ts']]);
  assert.deepEqual(importCycles([e('a.ts', 'b.ts'), e('b.ts', 'a.ts', { typeOnly: true })]), []);
  assert.deepEqual(importCycles([e('a.ts', 'b.ts'), e('b.ts', 'a.ts', { lazy: true })]), []);
});

test('no import cycles, inside a folder or across folders', () => {
  const edges = srcImports();
  assert.deepEqual(importCycles(edges), []);
});

/**
 * The same graph one level up: for an import between two folders of one parent (or a folder and a
 * file beside it), an edge between those two children of the parent. A cycle there means two
 * sibling folders (e.g. runtime/lcr and runtime/oci) lean on each other although no files form
 * a ring. Value and type imports count; import() does not (it loads on first use).
 */
export function siblingEdges(edges: readonly Edge[]): Edge[] {
  const out = new Map<string, Edge>();
  for (const e of edges) {
    if (e.lazy) continue;
    const a = e.from.split('/');
    const b = e.to.split('/');
    let i = 0;
    while (i < a.length - 1 && i < b.length - 1 && a[i] === b[i]) i++;
    const parent = a.slice(0, i).join('/');
    const from = `${parent ? `${parent}/` : ''}${a[i]}${i < a.length - 1 ? '/' : ''}`;
    const to = `${parent ? `${parent}/` : ''}${b[i]}${i < b.length - 1 ? '/' : ''}`;
    if (from === to || (!from.endsWith('/') && !to.endsWith('/'))) continue; // file to file: importCycles has them
    out.set(`${from} ${to}`, { from, to, typeOnly: false });
  }
  return [...out.values()];
}

test('the folder cycle finder: sibling folders that import each other are a cycle', () => {
  const e = (from: string, to: string, more: Partial<Edge> = {}): Edge => ({ from, to, typeOnly: false, ...more });
  assert.deepEqual(importCycles(siblingEdges([e('r/a/x.ts', 'r/b/y.ts'), e('r/b/z.ts', 'r/a/w.ts')])), [['r/a/', 'r/b/']]);
  assert.deepEqual(importCycles(siblingEdges([e('r/a/x.ts', 'r/b/y.ts'), e('r/b/z.ts', 'r/a/w.ts', { typeOnly: true })])), [['r/a/', 'r/b/']]);
  assert.deepEqual(importCycles(siblingEdges([e('r/a/x.ts', 'r/b/y.ts'), e('r/b/z.ts', 'r/a/w.ts', { lazy: true })])), []);
  assert.deepEqual(importCycles(siblingEdges([e('r/a/x.ts', 'r/b/y.ts'), e('r/b/y.ts', 'r/c.ts'), e('r/c.ts', 'r/a/x.ts')])), [['r/a/', 'r/b/', 'r/c.ts']]);
  assert.deepEqual(importCycles(siblingEdges([e('r/a/x.ts', 'r/a/y.ts'), e('r/a/y.ts', 'r/b/z.ts')])), []);
});

test('no import cycles between sibling folders', () => {
  const edges = srcImports();
  assert.ok(siblingEdges(edges).length > 0, 'the scanner found folder edges');
  assert.deepEqual(importCycles(siblingEdges(edges)), []);
});

test('the runtime drivers (runtime/lcr/, runtime/oci/) share code through runtime/ only', () => {
  const drivers = ['runtime/lcr/', 'runtime/oci/'];
  const across = srcImports().filter((e) => drivers.some((a) => e.from.startsWith(a) && drivers.some((b) => b !== a && e.to.startsWith(b))));
  assert.deepEqual(across.map((e) => `${e.from} -> ${e.to}`), []);
});
