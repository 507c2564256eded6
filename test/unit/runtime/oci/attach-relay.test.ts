// attachRelay: a client whose input ends at once (printf 'ls\nexit\n' | isula attach C) must still
// have it passed on; the relay process is not killed when the writer finishes normally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachRelay } from '../../../../src/runtime/oci/attach-relay.ts';

test('attach relay: input that ended at once is still passed on by the relay process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'attach-relay-'));
  try {
    const sock = join(dir, 'attach');
    writeFileSync(sock, ''); // the relay waits for the socket path to exist
    // stands in for socat: reads its stdin a little late (as socat may, busy connecting) into sock.out
    const fake = join(dir, 'fake-socat');
    writeFileSync(fake, '#!/bin/sh\np=${2#UNIX-CONNECT:}; p=${p%,type=5}\nsleep 0.3\ncat >"$p.part" && mv "$p.part" "$p.out"\n');
    chmodSync(fake, 0o755);
    const w = attachRelay(fake, sock, 10_000);
    await new Promise<void>((res) => w.end(Buffer.from('ls\nexit\n'), () => res()));
    const out = `${sock}.out`;
    for (let i = 0; i < 200 && !existsSync(out); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(readFileSync(out, 'utf8'), 'ls\nexit\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
