import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, appendFile, rename, readdir, readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareTime, logFilesOldestFirst, openLogReader, parseLogLine, readJsonFileLogs } from '../../../src/logs/json-file-reader.ts';
import type { LogEntry } from '../../../src/logs/json-file-reader.ts';

function line(log: string, n: number, stream = 'stdout'): string {
  const time = `2026-01-01T00:00:${String(n).padStart(2, '0')}.000000001Z`;
  return JSON.stringify({ log, stream, time }) + '\n';
}

async function collect(it: AsyncIterable<LogEntry>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of it) out.push(e.log);
  return out;
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'logs-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('parseLogLine accepts the json-file format and rejects torn lines', () => {
  assert.deepEqual(parseLogLine('{"log":"hi\\n","stream":"stderr","time":"t"}'), { log: 'hi\n', stream: 'stderr', time: 't' });
  assert.equal(parseLogLine('{"log":"hi'), undefined);
  assert.equal(parseLogLine(''), undefined);
  assert.equal(parseLogLine('[1]'), undefined);
});

test('compareTime orders different fraction lengths and zones', () => {
  const cases: Array<[string, string, number]> = [
    ['2026-01-01T00:00:01Z', '2026-01-01T00:00:01.5Z', -1],
    ['2026-01-01T00:00:01.500000000Z', '2026-01-01T00:00:01.5Z', 0],
    ['2026-01-01T01:00:00+01:00', '2026-01-01T00:00:00Z', 0],
    ['2026-01-01T00:00:02Z', '2026-01-01T00:00:01.999999999Z', 1],
  ];
  for (const [a, b, want] of cases) assert.equal(compareTime(a, b), want, `${a} vs ${b}`);
});

test('rotated files are read oldest first, and tail spans them', async () => {
  await withDir(async (dir) => {
    const p = join(dir, 'console.log');
    await writeFile(p + '.2', line('a', 1) + line('b', 2));
    await writeFile(p + '.1', line('c', 3));
    await writeFile(p, line('d', 4) + line('e', 5));
    await writeFile(p + '.x', line('junk', 6)); // not a rotation suffix
    assert.deepEqual(await logFilesOldestFirst(p), [p + '.2', p + '.1', p]);
    assert.deepEqual(await collect(readJsonFileLogs(p)), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(await collect(readJsonFileLogs(p, { tail: 3 })), ['c', 'd', 'e']);
    assert.deepEqual(await collect(readJsonFileLogs(p, { tail: 0 })), []);
    assert.deepEqual(await collect(readJsonFileLogs(p, { tail: 100 })), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(
      await collect(readJsonFileLogs(p, { since: '2026-01-01T00:00:02Z', until: '2026-01-01T00:00:04Z' })),
      ['b', 'c'],
    );
  });
});

test('a missing log reads as empty', async () => {
  await withDir(async (dir) => {
    assert.deepEqual(await collect(readJsonFileLogs(join(dir, 'nope.log'))), []);
  });
});

test('follow yields appended lines across a rotation, then stops after a final drain', async () => {
  await withDir(async (dir) => {
    const p = join(dir, 'console.log');
    await writeFile(p, line('first', 1));
    const stop = new AbortController();
    const got: string[] = [];
    const reader = (async () => {
      for await (const e of readJsonFileLogs(p, { follow: true, stopFollowing: stop.signal, pollMs: 20 })) {
        got.push(e.log);
      }
    })();
    const until = async (n: number) => {
      while (got.length < n) await new Promise((r) => setTimeout(r, 10));
    };
    await until(1);
    // a line written in two pieces must come out whole
    const second = line('second', 2);
    await appendFile(p, second.slice(0, 10));
    await new Promise((r) => setTimeout(r, 50));
    await appendFile(p, second.slice(10));
    await until(2);
    // rotate: the old file gets one more line after the rename, then a new file starts
    await rename(p, p + '.1');
    await appendFile(p + '.1', line('late-in-old', 3));
    await writeFile(p, line('new-file', 4));
    await until(4);
    await appendFile(p, line('last', 5));
    stop.abort();
    await reader;
    assert.deepEqual(got, ['first', 'second', 'late-in-old', 'new-file', 'last']);
  });
});

test('follow with tail 0 yields only new lines; the abort signal ends it', async () => {
  await withDir(async (dir) => {
    const p = join(dir, 'console.log');
    await writeFile(p, line('old', 1));
    const ac = new AbortController();
    const got: string[] = [];
    const reader = (async () => {
      for await (const e of readJsonFileLogs(p, { follow: true, tail: 0, signal: ac.signal, pollMs: 20 })) {
        got.push(e.log);
        if (got.length === 1) ac.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 30));
    await appendFile(p, line('fresh', 2));
    await reader;
    assert.deepEqual(got, ['fresh']);
  });
});

test('a record torn by a full disk is skipped, and the record written after it on its line is kept', async () => {
  const torn = '{"log":"lost par';
  assert.deepEqual(parseLogLine(torn + line('next', 2).trimEnd())?.log, 'next');
  assert.equal(parseLogLine('garbage' + torn), undefined);
  await withDir(async (dir) => {
    const p = join(dir, 'console.log');
    await writeFile(p + '.1', line('a', 1) + torn); // torn last line of a rotated file
    await writeFile(p, line('b', 2) + torn + line('c', 3) + 'not json\n' + line('d', 4) + torn);
    assert.deepEqual(await collect(readJsonFileLogs(p)), ['a', 'b', 'c', 'd']);
    assert.deepEqual(await collect(readJsonFileLogs(p, { tail: 2 })), ['c', 'd']);
  });
});

test('only .1, .2, … count as rotated files', async () => {
  await withDir(async (dir) => {
    const p = join(dir, 'console.log');
    for (const s of ['.0', '.01', '.lock', '.1x']) await writeFile(p + s, line('junk', 9));
    await writeFile(p + '.10', line('b', 2));
    await writeFile(p + '.9', line('c', 3));
    await writeFile(p, line('d', 4));
    assert.deepEqual(await logFilesOldestFirst(p), [p + '.10', p + '.9', p]);
    assert.deepEqual(await collect(readJsonFileLogs(p)), ['b', 'c', 'd']);
  });
});

test('parseLogLine reads the k8s-file lines conmon writes (issue 11)', () => {
  const cases: Array<{ line: string; want: LogEntry | undefined }> = [
    { line: '2026-11-27T17:32:16.099790127+00:00 stdout F out1', want: { stream: 'stdout', time: '2026-11-27T17:32:16.099790127Z', log: 'out1\n' } },
    { line: '2026-11-27T17:32:16.099851148Z stderr F err1', want: { stream: 'stderr', time: '2026-11-27T17:32:16.099851148Z', log: 'err1\n' } },
    { line: '2026-11-27T17:32:18.100124418+00:00 stdout P partial', want: { stream: 'stdout', time: '2026-11-27T17:32:18.100124418Z', log: 'partial' } },
    { line: '2026-11-27T18:32:18.5+01:00 stdout F x', want: { stream: 'stdout', time: '2026-11-27T17:32:18.5Z', log: 'x\n' } },
    { line: '2026-11-27T17:32:16.1+00:00 stdout F', want: { stream: 'stdout', time: '2026-11-27T17:32:16.1Z', log: '\n' } },
    { line: '2026-11-27T17:32:16.1+00:00 stdout F  two  spaces ', want: { stream: 'stdout', time: '2026-11-27T17:32:16.1Z', log: ' two  spaces \n' } },
    { line: '2026-11-27 stdout F x', want: undefined },
    { line: 'garbage', want: undefined },
  ];
  for (const c of cases) assert.deepEqual(parseLogLine(c.line), c.want, c.line);
});

test('a primed follow reader returned before it was read closes its fd (issue 13 item 4: failed attached run)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'jf-prime-'));
  const path = join(dir, 'console.log');
  await writeFile(path, '');
  const fdsOn = async () => {
    let n = 0;
    for (const fd of await readdir('/proc/self/fd')) if ((await readlink(`/proc/self/fd/${fd}`).catch(() => '')) === path) n++;
    return n;
  };
  const reader = await openLogReader(path, { follow: true, tail: 0 });
  assert.equal(await fdsOn(), 1);
  await reader.return(undefined);
  assert.equal(await fdsOn(), 0, 'the fd is closed by return(), not left to garbage collection');
  await rm(dir, { recursive: true, force: true });
});

test('pieces of a line in the k8s-file format (P) are one entry, so tail counts lines (runc through conmon)', async () => {
  await withDir(async (dir) => {
    const p = join(dir, 'console.log');
    const t = (n: number) => `2026-12-06T21:00:0${n}.000000001Z`;
    await writeFile(
      p,
      `${t(1)} stdout F first\n${t(2)} stdout P aaa\n${t(3)} stderr F err\n${t(4)} stdout P bbb\n${t(5)} stdout F ccc\n${t(6)} stdout P open\n`,
    );
    const all: LogEntry[] = [];
    for await (const e of readJsonFileLogs(p)) all.push(e);
    assert.deepEqual(all.map((e) => e.log), ['first\n', 'err\n', 'aaabbbccc\n', 'open']);
    assert.equal(all[2]?.time, t(2), 'a joined line keeps the time of its first piece');
    assert.deepEqual(await collect(readJsonFileLogs(p, { tail: 2 })), ['aaabbbccc\n', 'open']);
  });
});
