// Runs the embedded awk log copier (the real program, with the awk the driver would pick) on
// known input: JSON escaping, record splitting, timestamps and rotation bounds. Each test may take
// 5 min (a hang still fails): the rotation test took 55 s alone on a machine at load 20.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { LOG_AWK, MONITOR_SH } from '../../../../src/runtime/lcr/monitor-script.ts';
import { detectAwk, clockBase } from '../../../../src/runtime/host.ts';

let dir = '';
let awk = '';
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lcr-awk-'));
  writeFileSync(join(dir, 'log.awk'), LOG_AWK);
  writeFileSync(join(dir, 'mon.sh'), MONITOR_SH);
  awk = await detectAwk();
});
after(() => process.env.KEEP ? console.log(dir) : rmSync(dir, { recursive: true, force: true }));

async function copy(input: Buffer | string, stream: string, logPath: string, max = 0, files = 3, opts: { awk?: string; eof?: string; flush?: string } = {}): Promise<void> {
  const [bin, ...args] = (opts.awk ?? awk).split(' ');
  const child = spawn(bin!, [...args, '-f', join(dir, 'log.awk')], {
    env: { PATH: process.env.PATH, LCR_STREAM: stream, LOG_PATH: logPath, LOG_MAX: String(max), LOG_FILES: String(files), LCR_CLOCK_BASE: String(await clockBase()), LCR_MONITOR: join(dir, 'mon.sh'), TZ: 'UTC', ...(opts.eof ? { LCR_EOF: opts.eof } : {}), ...(opts.flush ? { LCR_FLUSH: opts.flush } : {}) },
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  child.stdin.end(input);
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(code, 0);
}

const records = (p: string) => readFileSync(p, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { log: string; stream: string; time: string });

test('json escaping round-trips through JSON.parse', { timeout: 300_000 }, async () => {
  const p = join(dir, 'esc.log');
  const lines = ['plain', 'quote " and \\ backslash', 'tab\there', 'ctrl \x01\x1b[0m bell\x07', 'unicode é 漢字', 'trailing cr\r', ''];
  await copy(lines.join('\n') + '\n', 'stderr', p);
  const r = records(p);
  assert.deepEqual(r.map((x) => x.log), lines.map((l) => `${l}\n`));
  assert.ok(r.every((x) => x.stream === 'stderr'));
});

test('time is RFC 3339 nano UTC near now', { timeout: 300_000 }, async () => {
  const p = join(dir, 'time.log');
  const before = Date.now();
  await copy('a\n', 'stdout', p);
  const t = records(p)[0]!.time;
  assert.match(t, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  const ms = Date.parse(t);
  assert.ok(Math.abs(ms - before) < 60_000, `${t} is near now`);
});

test('final line without newline is not duplicated or garbled', { timeout: 300_000 }, async () => {
  const p = join(dir, 'partial.log');
  await copy('one\ntwo\nthree', 'stdout', p);
  assert.deepEqual(records(p).map((x) => x.log), ['one\n', 'two\n', 'three\n']);
});

test('the flush marker: text before it on its line becomes a partial record, alone it is dropped', { timeout: 300_000 }, async () => {
  const p = join(dir, 'flush.log');
  const M = 'lcr-flush-0123abcd';
  await copy(`one\n${M}\nhel${M}\nlo\n${M}\n`, 'stdout', p, 0, 3, { flush: M });
  assert.deepEqual(records(p).map((x) => x.log), ['one\n', 'hel', 'lo\n']);
  const c = join(dir, 'flush-cri.log');
  const child = spawn(awk.split(' ')[0]!, [...awk.split(' ').slice(1), '-f', join(dir, 'log.awk')], {
    env: { PATH: process.env.PATH, LCR_STREAM: 'stdout', LOG_PATH: c, LOG_MAX: '0', LOG_FILES: '1', LOG_FORMAT: 'cri', LCR_CLOCK_BASE: String(await clockBase()), LCR_MONITOR: join(dir, 'mon.sh'), TZ: 'UTC', LCR_FLUSH: M },
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  child.stdin.end(`hello${M}\n world\n`);
  await new Promise((r) => child.on('exit', r));
  assert.deepEqual(readFileSync(c, 'utf8').trim().split('\n').map((l) => l.split(' ').slice(2).join(' ')), ['P hello', 'F  world']);
});

test('lines over 16 KiB are split, only the last piece ends the line', { timeout: 300_000 }, async () => {
  const p = join(dir, 'long.log');
  await copy('x'.repeat(40000) + '\n', 'stdout', p);
  const r = records(p);
  assert.deepEqual(r.map((x) => x.log.length), [16384, 16384, 40000 - 32768 + 1]);
  assert.equal(r.map((x) => x.log).join(''), 'x'.repeat(40000) + '\n');
});

test('rotation keeps max-file files, each at most max-size, newest lines kept in order', { timeout: 300_000 }, async () => {
  const p = join(dir, 'rot.log');
  const n = 3000;
  const input = Array.from({ length: n }, (_, i) => `line ${i}`).join('\n') + '\n';
  await copy(input, 'stdout', p, 10_000, 3);
  assert.ok(existsSync(`${p}.1`) && existsSync(`${p}.2`));
  assert.ok(!existsSync(`${p}.3`), 'max-file 3 = current + 2 rotated');
  for (const f of [p, `${p}.1`, `${p}.2`]) assert.ok(statSync(f).size <= 10_000, `${f} ≤ max-size`);
  const all = [...records(`${p}.2`), ...records(`${p}.1`), ...records(p)].map((x) => Number(x.log.split(' ')[1]));
  assert.equal(all.at(-1), n - 1);
  for (let i = 1; i < all.length; i++) assert.equal(all[i], all[i - 1]! + 1, 'contiguous, no loss inside the kept window');
  assert.ok(!existsSync(`${p}.lock`), 'lock released');
});

test('two copiers on one file: bounded by max-size, nothing lost', { timeout: 300_000 }, async () => {
  const p = join(dir, 'two.log');
  const mk = (tag: string) => Array.from({ length: 400 }, (_, i) => `${tag} ${i}`).join('\n') + '\n';
  await Promise.all([copy(mk('out'), 'stdout', p, 8_000, 100), copy(mk('err'), 'stderr', p, 8_000, 100)]);
  const files = [p];
  for (let i = 1; existsSync(`${p}.${i}`); i++) files.push(`${p}.${i}`);
  for (const f of files) assert.ok(statSync(f).size <= 8_000 + 8_000 / 32 + 100, `${f}: ${statSync(f).size}`);
  const all = files.flatMap(records);
  assert.equal(all.filter((r) => r.stream === 'stdout').length, 400);
  assert.equal(all.filter((r) => r.stream === 'stderr').length, 400);
});

const awks = ['/bin/busybox awk', '/usr/bin/mawk -W interactive'].filter((a) => existsSync(a.split(' ')[0]!));
for (const a of awks) {
  test(`end marker (${a}): stops the copier, keeps a final partial line, ignores what follows`, { timeout: 300_000 }, async () => {
    const p = join(dir, `eof-${a.includes('mawk') ? 'mawk' : 'bb'}.log`);
    await copy('one\ntwo\nthreeMARK-123\nlate\n', 'stdout', p, 0, 3, { awk: a, eof: 'MARK-123' });
    assert.deepEqual(records(p).map((x) => x.log), ['one\n', 'two\n', 'three\n']);
    const q = join(dir, `eof2-${a.includes('mawk') ? 'mawk' : 'bb'}.log`);
    await copy('one\nMARK-123\nlate\n', 'stdout', q, 0, 3, { awk: a, eof: 'MARK-123' });
    assert.deepEqual(records(q).map((x) => x.log), ['one\n']);
  });
}
