import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandText, filtersFrom, psRow, sortForPs, statusText } from '../../../../src/cli/commands/ps.ts';
import { formatEventLine, formatEventTime, parseEventTime } from '../../../../src/cli/commands/events.ts';
import { parseTail } from '../../../../src/cli/commands/logs.ts';
import { parseTemplate, renderTemplate } from '../../../../src/cli/format/template.ts';
import type { Container__Output } from '../../../../src/api/generated/containers/Container.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function ctr(p: Partial<Container__Output>): Container__Output {
  return {
    id: 'f'.repeat(64), pid: 0, status: 1, interface: '', ipv4: '', ipv6: '', image: 'busybox', command: 'sh', ram: 0, swap: 0,
    exit_code: 0, restartcount: '0', startat: '0001-01-01T00:00:00Z', finishat: '0001-01-01T00:00:00Z', runtime: 'lcr', name: 'n',
    health_state: '', created: String(NOW / 1000 - 300), ports: '', ...p,
  };
}

test('ps STATUS strings (iSulad §2.3)', () => {
  const cases: Array<[Partial<Container__Output>, string]> = [
    [{ status: 1 }, 'Created'],
    [{ status: 3, startat: '2026-01-01T11:59:55Z' }, 'Up 5 seconds'],
    [{ status: 5, startat: '2026-01-01T11:00:00Z' }, 'Up About an hour (Paused)'],
    [{ status: 4, exit_code: 3, finishat: '2026-01-01T11:58:00Z' }, 'Exited (3) 2 minutes ago'],
    [{ status: 6, exit_code: 1, finishat: '2026-01-01T11:59:59.5Z' }, 'Restarting (1) Less than a second ago'],
  ];
  for (const [p, want] of cases) assert.equal(statusText(ctr(p), NOW), want);
});

test('ps rows: short id, quoted and cut command, created ago, sorted by start', () => {
  const r = psRow(ctr({ command: 'sh -c while true; do sleep 1; done' }), NOW, false);
  assert.equal(r.ID, 'f'.repeat(12));
  assert.equal(r.Command, '"sh -c while true;..."');
  assert.equal(r.Created, '5 minutes ago');
  assert.equal(commandText('echo hi', false), '"echo hi"');
  assert.equal(psRow(ctr({}), NOW, true).ID.length, 64);
  const a = ctr({ name: 'never' });
  const b = ctr({ name: 'old', startat: '2026-01-01T10:00:00Z' });
  const c = ctr({ name: 'new', startat: '2026-01-01T11:00:00Z' });
  assert.deepEqual(sortForPs([a, b, c]).map((x) => x.name), ['new', 'old', 'never']);
  const tpl = parseTemplate('table {{.ID}}\t{{.Status}}\t{{.Names}}');
  const out = renderTemplate(tpl, [psRow(ctr({ name: 'web' }), NOW, false)], { ID: 'CONTAINER ID', Status: 'STATUS', Names: 'NAMES' });
  assert.equal(out, 'CONTAINER ID   STATUS    NAMES\nffffffffffff   Created   web\n');
});

test('ps filters map', () => {
  assert.deepEqual(filtersFrom(['status=exited', 'name=a', 'status=created']), { status: 'exited,created', name: 'a' });
  assert.throws(() => filtersFrom(['nope']), /Bad format of filter/);
});

test('events: time parsing and iSulad line format', () => {
  assert.deepEqual(parseEventTime('1700000000.5'), { seconds: '1700000000', nanos: 500_000_000 });
  assert.deepEqual(parseEventTime('2026-01-01T00:00:01Z'), { seconds: String(Date.parse('2026-01-01T00:00:01Z') / 1000), nanos: 0 });
  assert.deepEqual(parseEventTime('10m', NOW), { seconds: String(NOW / 1000 - 600), nanos: 0 });
  assert.throws(() => parseEventTime('yesterday'), /Invalid time format/);
  const ts = formatEventTime(1767268800n, 5);
  assert.match(ts, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000005[+-]\d{2}:\d{2}$/);
  const line = formatEventLine({ timestamp: { seconds: '1767268800', nanos: 5 }, opt: 'container die', id: 'abc', annotations: { image: 'busybox', name: 'x', exitCode: '3' } });
  assert.equal(line, `${ts} container die abc (image=busybox, name=x, exitCode=3)`);
});

test('logs --tail', () => {
  assert.equal(parseTail(undefined), -1);
  assert.equal(parseTail('all'), -1);
  assert.equal(parseTail('0'), 0);
  assert.equal(parseTail('5'), 5);
  assert.throws(() => parseTail('-2'), /--tail/);
});
