// The CLI's fd writers (src/cli/stdio.ts): whole writes through write(2), the stream only once
// the fd would block or a stream exists, EPIPE as a quiet end; and, in a real child process,
// the order of fd writes and process.stdout writes, and a closed pipe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fdWriter, type FdWriterDeps } from '../../../src/cli/stdio.ts';

const STDIO = resolve(import.meta.dirname, '../../../src/cli/stdio.ts');

function fakeDeps(opts: { chunk?: number; eagainAfter?: number; error?: string } = {}) {
  const fd: Buffer[] = [];
  const streamed: string[] = [];
  let written = 0;
  let made = false;
  const stream = { write: (d: string | Uint8Array) => (streamed.push(Buffer.from(d).toString()), true) } as unknown as NodeJS.WritableStream;
  const deps: FdWriterDeps = {
    writeSync: (_fd, buf, offset) => {
      if (opts.error) throw Object.assign(new Error(opts.error), { code: opts.error });
      if (opts.eagainAfter !== undefined && written >= opts.eagainAfter) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
      let n = Math.min(opts.chunk ?? Infinity, buf.length - offset);
      if (opts.eagainAfter !== undefined) n = Math.min(n, opts.eagainAfter - written);
      fd.push(Buffer.from(buf.subarray(offset, offset + n)));
      written += n;
      return n;
    },
    existing: () => (made ? stream : undefined),
    stream: () => ((made = true), stream),
    exit: (code) => {
      throw Object.assign(new Error('exit'), { exitCode: code });
    },
  };
  return { deps, fd: () => Buffer.concat(fd).toString(), streamed };
}

test('text goes whole through write(2), partial writes continued', () => {
  const f = fakeDeps({ chunk: 3 });
  const out = fdWriter(1, f.deps);
  out('hello, ');
  out('w\u00f6rld\n');
  assert.equal(f.fd(), 'hello, w\u00f6rld\n');
  assert.deepEqual(f.streamed, []);
});

test('a full non-blocking fd: the rest and every later write go through the stream, in order', () => {
  const f = fakeDeps({ eagainAfter: 4 });
  const out = fdWriter(1, f.deps);
  out('abcdef');
  out('gh');
  assert.equal(f.fd(), 'abcd');
  assert.deepEqual(f.streamed, ['ef', 'gh']);
});

test('EPIPE ends quietly with the exit code so far; other errors are thrown', () => {
  const f = fakeDeps({ error: 'EPIPE' });
  assert.throws(() => fdWriter(1, f.deps)('x'), (e: { exitCode?: number }) => e.exitCode === 0);
  const g = fakeDeps({ error: 'EBADF' });
  assert.throws(() => fdWriter(2, g.deps)('x'), /EBADF/);
});

const CHILD = `
import { fdWriter, watchStdio, flushStdio } from ${JSON.stringify(STDIO)};
watchStdio();
const out = fdWriter(1);
out('a');
out('b');
process.stdout.write('c'); // a command that streams makes the stream
out('d');                   // after that, through the stream: order kept
await flushStdio();
`;

test('in a process: fd writes and process.stdout writes keep their order', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'abcd');
});

test('in a process: a closed pipe ends the writer quietly with exit code 0', () => {
  const script = `import { fdWriter, watchStdio } from ${JSON.stringify(STDIO)};
watchStdio(); const out = fdWriter(1);
for (let i = 0; i < 2000; i++) out('x'.repeat(1000) + '\\n');
process.stderr.write('not reached\\n');`;
  const r = spawnSync('bash', ['-c', `"$0" --input-type=module -e "$1" | (exec 0<&-; sleep 0.5); echo "rc=\${PIPESTATUS[0]}"`, process.execPath, script], {
    encoding: 'utf8',
  });
  assert.equal(r.stdout.trim(), 'rc=0', r.stderr);
  assert.doesNotMatch(r.stderr, /not reached|EPIPE|Error/);
});

