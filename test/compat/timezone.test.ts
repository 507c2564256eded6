// iSulad CI, container_cases: timezone.sh, against our daemon and CLI. The script relinks the
// host's /etc/localtime and restarts iSulad; here the daemon is restarted with TZ set to each of
// the script's zones (the host's /etc/localtime is not touched). The offset of State.StartedAt must
// be the zone's, as `date +%:z` gives it for that TZ.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Daemon } from '../helpers/daemon.ts';
import { ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const ZONES = ['Pacific/Kiritimati', 'right/Canada/Newfoundland', 'Asia/Kolkata', 'right/Pacific/Chatham', 'Etc/GMT'];

describe('iSulad CI container_cases: timezone', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  test('timezone.sh: StartedAt carries the daemon local time offset (TZ), for five zones', async () => {
    try {
      for (const zone of ZONES) {
        assert.ok(existsSync(`/usr/share/zoneinfo/${zone}`), `zone ${zone} installed`);
        const want = spawnSync('date', ['+%:z'], { env: { ...process.env, TZ: zone }, encoding: 'utf8' }).stdout.trim();
        assert.match(want, /^[+-]\d{2}:\d{2}$/);
        await d.restart({ env: { TZ: zone } });
        await ok(d, ['run', '--name', 'test_timezone', 'busybox', '/bin/sh']);
        const started = (await ok(d, ['inspect', '-f', '{{.State.StartedAt}}', 'test_timezone'])).stdout.trim();
        assert.equal(started.slice(-6), want, `${zone}: ${started}`);
        const finished = (await ok(d, ['inspect', '-f', '{{.State.FinishedAt}}', 'test_timezone'])).stdout.trim();
        assert.equal(finished.slice(-6), want, `${zone}: ${finished}`);
        // the same instant as the clock's: within a day of now, whatever the zone
        assert.ok(Math.abs(Date.parse(started) - Date.now()) < 3600_000, `${zone}: ${started} is now`);
        // ps still reads it right (an exited container, not one from the future or the epoch)
        assert.match((await ok(d, ['ps', '-a', '--format', '{{.Status}}', '-f', 'name=test_timezone'])).stdout, /^Exited \(0\) .*ago/);
        await ok(d, ['rm', '-f', 'test_timezone']);
      }
    } finally {
      await d.restart({ env: { TZ: undefined } });
    }
  });
});
