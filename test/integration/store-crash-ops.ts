// The crash test's operation sequence: op i is a pure function of (seed, i), so the child can
// resume at any index and the parent can recompute the state after any prefix.
import type { RecordKind, StoreOp } from '../../src/store/types.ts';

export type Call =
  | { call: 'put'; kind: RecordKind; id: string; value: unknown }
  | { call: 'delete'; kind: RecordKind; id: string }
  | { call: 'batch'; ops: StoreOp[] };

/** mulberry32 over a seed mixed from (seed, i). */
function rng(seed: number, i: number): () => number {
  let a = (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IDS = 24;

function containerRecord(r: () => number, id: string, seq: number): Record<string, unknown> {
  const n = (max: number) => Math.floor(r() * max);
  const rec: Record<string, unknown> = {
    id,
    name: `web-${id}`,
    seq,
    image: 'busybox:latest',
    created: 1_700_000_000 + seq,
    config: {
      env: Array.from({ length: 1 + n(4) }, (_, k) => `VAR_${k}=${n(1e6)}`),
      cmd: ['sh', '-c', `echo ${seq}`],
      labels: { app: 'web', tier: ['a', 'b', 'c'][n(3)] ?? 'a' },
    },
    state: { status: ['created', 'running', 'exited'][n(3)] ?? 'created', pid: n(40000), exitCode: n(3) - 1, ratio: seq / 7 },
  };
  // Now and then a big record, so the log grows fast enough for compactions to happen often.
  if (n(20) === 0) rec.blob = 'x'.repeat(2000 + n(20000));
  return rec;
}

/**
 * A record whose fields depend only on (seed, id) apart from its state: successive puts of these
 * differ in a few fields, so the store writes them as deltas.
 */
function stateUpdate(seed: number, r: () => number, id: string, seq: number): Record<string, unknown> {
  const stable = containerRecord(rng(seed, 1_000_000 + Number(id.slice(1))), id, 0);
  const n = (max: number) => Math.floor(r() * max);
  return { ...stable, state: { status: ['created', 'running', 'exited'][n(3)] ?? 'created', pid: n(40000), exitCode: n(3) - 1, seq } };
}

export function callAt(seed: number, i: number): Call {
  const r = rng(seed, i);
  const id = () => `c${Math.floor(r() * IDS)}`;
  const p = r();
  if (p < 0.25) {
    const cid = id();
    return { call: 'put', kind: 'container', id: cid, value: containerRecord(r, cid, i) };
  }
  if (p < 0.55) {
    const cid = id();
    return { call: 'put', kind: 'container', id: cid, value: stateUpdate(seed, r, cid, i) };
  }
  if (p < 0.7) return { call: 'delete', kind: 'container', id: id() };
  if (p < 0.9) {
    const ops: StoreOp[] = [];
    const count = 2 + Math.floor(r() * 5);
    for (let k = 0; k < count; k++) {
      const q = r();
      const cid = id();
      if (q < 0.2) ops.push({ op: 'put', kind: 'container', id: cid, value: containerRecord(r, cid, i) });
      else if (q < 0.4) ops.push({ op: 'put', kind: 'container', id: cid, value: stateUpdate(seed, r, cid, i) });
      else if (q < 0.6) ops.push({ op: 'put', kind: 'sandbox', id: `s${cid}`, value: { pod: cid, seq: i, k } });
      else if (q < 0.8) ops.push({ op: 'delete', kind: r() < 0.5 ? 'container' : 'sandbox', id: r() < 0.5 ? cid : `s${cid}` });
      else ops.push({ op: 'put', kind: 'exec', id: `e${k}`, value: { container: cid, seq: i } });
    }
    return { call: 'batch', ops };
  }
  return { call: 'put', kind: 'meta', id: 'progress', value: { seq: i } };
}

export function opsOf(c: Call): StoreOp[] {
  if (c.call === 'batch') return c.ops;
  if (c.call === 'put') return [{ op: 'put', kind: c.kind, id: c.id, value: c.value }];
  return [{ op: 'delete', kind: c.kind, id: c.id }];
}

/** The model: per kind, ids in insertion order (Map semantics, like the store). */
export type Model = Map<RecordKind, Map<string, unknown>>;

export function applyCall(m: Model, c: Call): void {
  for (const op of opsOf(c)) {
    let byId = m.get(op.kind);
    if (!byId) m.set(op.kind, (byId = new Map()));
    if (op.op === 'put') byId.set(op.id, op.value);
    else byId.delete(op.id);
  }
}

export function cloneModel(m: Model): Model {
  return new Map(Array.from(m, ([k, v]) => [k, new Map(v)]));
}
