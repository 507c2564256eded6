// THE crash test: children mutate one store while the parent SIGKILLs them at random moments
// (>= 200 kills). After every kill the store must reopen to exactly the state after some prefix k
// of the calls, with (calls reported committed) <= k <= (calls attempted). Each next child resumes
// from k. Kill points are chosen by progress (after n commits) or by a random delay, never by
// asserting on how long anything took.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { openStore } from '../../src/store/index.ts';
import { RECORD_KINDS } from '../../src/store/kinds.ts';
import type { StateStoreReader } from '../../src/store/types.ts';
import { setLogSink } from '../../src/util/log.ts';
import { applyCall, callAt, cloneModel } from './store-crash-ops.ts';
import type { Model } from './store-crash-ops.ts';

const KILLS = Number(process.env.STORE_CRASH_KILLS ?? 200); // override only to hunt a failure faster
const CHILD = join(import.meta.dirname, 'store-crash-child.ts');

setLogSink(() => {}); // takeover and torn-tail warnings are expected here

/** When to kill: after n commits, n ms after the child is ready, or n ms after spawn (mid-open). */
type Policy = { afterCommits: number } | { afterReadyMs: number } | { afterSpawnMs: number };

function pickPolicy(): Policy {
  const r = Math.random();
  if (r < 0.6) return { afterCommits: Math.floor(Math.random() * 50) };
  if (r < 0.85) return { afterReadyMs: Math.floor(Math.random() * 40) };
  return { afterSpawnMs: Math.floor(Math.random() * 150) };
}

interface ChildRun {
  attempted: number;
  committed: number;
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/** Runs one child from `start` and kills it by the given policy. */
function runChild(
  dir: string,
  cacheDir: string,
  seed: number,
  start: number,
  end: number,
  policy: Policy,
): Promise<ChildRun> {
  // The compile cache cuts a child's start from ~0.3 s to ~0.1 s: 200 children fit the budget.
  const env: NodeJS.ProcessEnv = { ...process.env, CBOR_NATIVE_ACCELERATION_DISABLED: 'true', NODE_COMPILE_CACHE: cacheDir };
  delete env.NODE_TEST_CONTEXT; // the child is a plain script, not a test file
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir, String(seed), String(start), String(end)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let attempted = start;
    let committed = start;
    let commits = 0;
    let buffered = '';
    let stderr = '';
    let killed = false;
    const kill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    let timer = 'afterSpawnMs' in policy ? setTimeout(kill, policy.afterSpawnMs) : undefined;
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const n = Number(line.slice(1));
        if (line[0] === 'a') attempted = Math.max(attempted, n + 1);
        else if (line[0] === 'c') {
          // Commits resolve in call order, so "c<n>" means every call up to n is committed.
          committed = Math.max(committed, n + 1);
          commits++;
          if ('afterCommits' in policy && commits >= policy.afterCommits) kill();
        } else if (line === 'ready') {
          if ('afterCommits' in policy && policy.afterCommits === 0) kill();
          if ('afterReadyMs' in policy) timer = setTimeout(kill, policy.afterReadyMs);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ attempted, committed, signal, code, stderr });
    });
  });
}

type Snapshot = Array<[string, Array<[string, unknown]>]>;

function storeSnapshot(s: StateStoreReader): Snapshot {
  return RECORD_KINDS.map((k) => [k, s.ids(k).map((id): [string, unknown] => [id, s.get(k, id)])]);
}

function modelSnapshot(m: Model): Snapshot {
  return RECORD_KINDS.map((k) => [k, Array.from(m.get(k) ?? [])]);
}

/** The first record where two snapshots differ, for the failure message. */
function describeDifference(got: Snapshot, want: Snapshot): string {
  for (const [i, [kind, records]] of got.entries()) {
    const wanted = want[i]?.[1] ?? [];
    const gotIds = records.map(([id]) => id);
    const wantIds = wanted.map(([id]) => id);
    if (!isDeepStrictEqual(gotIds, wantIds)) return `${kind} ids ${JSON.stringify(gotIds)} != ${JSON.stringify(wantIds)}`;
    for (const [j, [id, value]] of records.entries()) {
      if (!isDeepStrictEqual(value, wanted[j]?.[1])) {
        return `${kind} ${id}: ${JSON.stringify(value).slice(0, 600)} != ${JSON.stringify(wanted[j]?.[1]).slice(0, 600)}`;
      }
    }
  }
  return 'no difference';
}

interface LaneResult {
  calls: number;
  committedReported: number;
  beyondReported: number;
  shrinks: number;
}

/**
 * One store, `kills` children in a row, each resumed where the store says the last one got to.
 * Two lanes run side by side: a child mostly waits for CPU while it starts, so on a loaded
 * machine two lanes overlap those waits.
 */
async function runLane(dir: string, cacheDir: string, seed: number, kills: number): Promise<LaneResult> {
  let model: Model = new Map();
  let base = 0;
  let committedReported = 0;
  let beyondReported = 0;
  let lastLogBytes = 0;
  let shrinks = 0; // the log got smaller between kills: a compaction ran (and was maybe killed)
  for (let kill = 0; kill < kills; kill++) {
    const policy = pickPolicy();
    const ctx = `seed ${seed}, kill ${kill} (${JSON.stringify(policy)}), resuming at ${base}`;
    const run = await runChild(dir, cacheDir, seed, base, base + 100_000, policy);
    assert.equal(run.signal, 'SIGKILL', `${ctx}: child ended on its own (code ${run.code}): ${run.stderr}`);

    const store = await openStore(dir).catch((err: unknown) => {
      throw new Error(`${ctx}: reopen failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    });
    let found: { k: number; model: Model } | undefined;
    try {
      const got = storeSnapshot(store);
      const logBytes = store.stats().logBytes;
      if (logBytes < lastLogBytes) shrinks++;
      lastLogBytes = logBytes;
      const work = cloneModel(model);
      for (let i = base; i < run.committed; i++) applyCall(work, callAt(seed, i));
      for (let k = run.committed; k <= run.attempted; k++) {
        if (k > run.committed) applyCall(work, callAt(seed, k - 1));
        if (isDeepStrictEqual(modelSnapshot(work), got)) found = { k, model: cloneModel(work) };
      }
      if (!found) {
        const atCommitted = cloneModel(model);
        for (let i = base; i < run.committed; i++) applyCall(atCommitted, callAt(seed, i));
        assert.fail(
          `${ctx}: store matches no prefix in [${run.committed}, ${run.attempted}] (committed..attempted); ` +
            `vs the state at ${run.committed}: ${describeDifference(got, modelSnapshot(atCommitted))}`,
        );
      }
    } finally {
      await store.close();
    }
    committedReported += run.committed - base;
    beyondReported += found.k - run.committed;
    model = found.model;
    base = found.k;
  }
  const left = (await readdir(dir)).filter((f) => f !== 'state.log');
  assert.deepEqual(left, [], `seed ${seed}: no stray files after the last open and close`);
  return { calls: base, committedReported, beyondReported, shrinks };
}

test('store survives 200 SIGKILLs at random moments, always at a committed prefix', { timeout: 300_000 }, async () => {
  const seed = Number(process.env.STORE_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 30));
  const top = await mkdtemp(join(tmpdir(), 'store-crash-'));
  const cacheDir = join(top, 'compile-cache');
  try {
    // Killed children never write the compile cache; one run that exits normally fills it.
    const warm = await runChild(join(top, 'warm-up'), cacheDir, seed, 0, 0, { afterCommits: Infinity });
    assert.equal(warm.code, 0, warm.stderr);
    const half = Math.ceil(KILLS / 2);
    const lanes = await Promise.all([
      runLane(join(top, 'lane-a'), cacheDir, seed, half),
      runLane(join(top, 'lane-b'), cacheDir, seed + 1, KILLS - half),
    ]);
    const sum = (f: (r: LaneResult) => number) => lanes.reduce((n, r) => n + f(r), 0);
    assert.ok(sum((r) => r.shrinks) > 0, 'no compaction happened: the test did not cover it');
    assert.ok(sum((r) => r.committedReported) >= KILLS * 5, `only ${sum((r) => r.committedReported)} calls reported committed`);
    // Calls durable but not yet reported when the kill came (in flight between fsync and print).
    process.stdout.write(
      `# crash test: seeds ${seed}+${seed + 1}, ${KILLS} kills, ${sum((r) => r.calls)} calls, ` +
        `${sum((r) => r.beyondReported)} beyond reported, ${sum((r) => r.shrinks)} compactions seen\n`,
    );
  } finally {
    await rm(top, { recursive: true, force: true });
  }
});
