// iSulad CI, container_cases: volume_v_propagation.sh (-v SRC:DST[:mode]) and
// volume_mount_propagation.sh (--mount type=bind,...,bind-propagation=mode), against our CLI on one
// real daemon, on each runtime of RUNTIME_LIST (lcr, runc). For each mode, a mount made on the host
// under the source after the container started is (or is not) seen inside, and a mount made inside
// under the destination is (or is not) seen on the host: the kernel's propagation, read from both sides.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');

function sh(cmd: string, ...args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
}

/** mode → [host mount seen inside, container mount seen on the host]; '' is the default (rprivate). */
const MODES: ReadonlyArray<[string, boolean, boolean]> = [
  ['', false, false],
  ['private', false, false],
  ['rprivate', false, false],
  ['shared', true, true],
  ['rshared', true, true],
  ['slave', true, false],
  ['rslave', true, false],
];

describe('iSulad CI container_cases: volume propagation', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  /** One container per mode; src is a shared mount of its own (as / is on a systemd host). */
  async function check(rt: string, syntax: '-v' | '--mount'): Promise<void> {
    const base = join(d.dir, `prop-${rt}-${syntax.replace(/-/g, '')}`);
    const src = join(base, 'src');
    const hostPriv = join(base, 'host_private');
    mkdirSync(src, { recursive: true });
    mkdirSync(hostPriv, { recursive: true });
    writeFileSync(join(hostPriv, 'src_privatefile'), '');
    sh('mount', '--bind', src, src);
    sh('mount', '--make-shared', src);
    try {
      for (const [mode, toContainer, toHost] of MODES) {
        const spec = syntax === '-v'
          ? ['-v', `${src}:/tmp/dst${mode ? `:${mode}` : ''}`]
          : ['--mount', `type=bind,src=${src},dst=/tmp/dst${mode ? `,bind-propagation=${mode}` : ''}`];
        const id = (await ok(d, ['run', `--runtime=${rt}`, ...spec, '-dit', '--privileged', 'busybox', '/bin/sh'])).stdout.trim();
        const what = `${rt} ${syntax} ${mode || '(default)'}`;
        // host → container: a bind made under the source after the start
        const hostDir = join(src, `src_testCE_${mode || 'default'}`);
        mkdirSync(hostDir, { recursive: true });
        sh('mount', '--bind', hostPriv, hostDir);
        const seen = await d.isula(['exec', id, 'ls', `/tmp/dst/src_testCE_${mode || 'default'}/src_privatefile`]);
        sh('umount', hostDir);
        assert.equal(seen.code === 0, toContainer, `${what}: host mount seen inside: ${seen.stdout}${seen.stderr}`);
        // container → host: a bind made inside under the destination
        const dir = `dst_testCE_${mode || 'default'}`;
        await ok(d, ['exec', id, 'sh', '-c', `mkdir -p /tmp/dst_private /tmp/dst/${dir} && mount --bind /tmp/dst_private /tmp/dst/${dir} && touch /tmp/dst_private/dst_privatefile`]);
        const onHost = existsSync(join(src, dir, 'dst_privatefile'));
        if (onHost) sh('umount', join(src, dir));
        assert.equal(onHost, toHost, `${what}: container mount seen on the host`);
        await ok(d, ['rm', '-f', id]);
      }
    } finally {
      spawnSync('umount', ['-R', src]);
    }
  }

  for (const rt of ['lcr', 'runc'] as const) {
    const skip = rt === 'runc' ? runc?.skip ?? 'no runc' : false;
    test(`volume_v_propagation.sh on ${rt}: -v binds, default rprivate, private/shared/slave and their r- forms`, { skip }, () => check(rt, '-v'));
    test(`volume_mount_propagation.sh on ${rt}: --mount bind-propagation, the same modes`, { skip }, () => check(rt, '--mount'));
  }
});
