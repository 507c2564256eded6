// Parsers of the stats files: blkio (v1/v2), /proc/stat, /proc/<pid>/net/dev. Fixtures are real
// file texts from Linux 6.1 hosts (trimmed), including the lines each parser must skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBlkioServiceBytes, parseIoStat } from '../../../src/cgroups/stats.ts';
import { parseNetDev, parseProcStat } from '../../../src/cgroups/proc-usage.ts';

test('blkio.throttle.io_service_bytes: Read/Write summed over devices, Total lines ignored', () => {
  const cases: Array<[string, { read: number; write: number }]> = [
    ['', { read: 0, write: 0 }],
    ['Total 0', { read: 0, write: 0 }],
    [
      ['254:0 Read 106496', '254:0 Write 1888256', '254:0 Sync 1994752', '254:0 Async 0', '254:0 Discard 0', '254:0 Total 1994752',
        '7:1 Read 4096', '7:1 Write 0', 'Total 1998848'].join('\n'),
      { read: 110592, write: 1888256 },
    ],
    ['254:0 Read notanumber\n254:0 Write 12', { read: 0, write: 12 }],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseBlkioServiceBytes(text), want, JSON.stringify(text));
});

test('io.stat: rbytes/wbytes summed over devices', () => {
  const cases: Array<[string, { read: number; write: number }]> = [
    ['', { read: 0, write: 0 }],
    ['254:0 rbytes=1024 wbytes=2048 rios=1 wios=2 dbytes=0 dios=0', { read: 1024, write: 2048 }],
    ['254:0 rbytes=1 wbytes=2 rios=1 wios=1\n8:0 rbytes=10 wbytes=20 rios=1 wios=1 dbytes=5 dios=1', { read: 11, write: 22 }],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseIoStat(text), want, JSON.stringify(text));
});

test('/proc/stat: all ticks of the cpu line in ns (USER_HZ 100), online CPUs = cpuN lines', () => {
  const text = [
    'cpu  501384 0 108078 376463 2281 0 1579 1335 0 0',
    'cpu0 250000 0 54000 188000 1100 0 800 700 0 0',
    'cpu1 251384 0 54078 188463 1181 0 779 635 0 0',
    'intr 123 0 0',
    'ctxt 999',
  ].join('\n');
  const s = parseProcStat(text);
  assert.equal(s.onlineCpus, 2);
  // guest/guest_nice (the last two) are already inside user: not added
  assert.equal(s.totalNanos, (501384 + 108078 + 376463 + 2281 + 1579 + 1335) * 10_000_000);
  assert.deepEqual(parseProcStat(''), { totalNanos: 0, onlineCpus: 0 });
});

test('net/dev: rx/tx bytes of every interface but lo; headers skipped', () => {
  const header = [
    'Inter-|   Receive                                                |  Transmit',
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
  ];
  const lo = '    lo: 10284474345  406238    0    0    0     0          0         0 10284474345  406238    0    0    0     0       0          0';
  const eth0 = '  eth0:    1500      12    0    0    0     0          0         0     2500      20    0    0    0     0       0          0';
  const veth = 'veth1a:      10       1    0    0    0     0          0         0       30       1    0    0    0     0       0          0';
  const cases: Array<[string[], { rxBytes: number; txBytes: number }]> = [
    [[...header], { rxBytes: 0, txBytes: 0 }],
    [[...header, lo], { rxBytes: 0, txBytes: 0 }],
    [[...header, lo, eth0], { rxBytes: 1500, txBytes: 2500 }],
    [[...header, eth0, lo, veth], { rxBytes: 1510, txBytes: 2530 }],
    [[...header, 'eth1: 5 1'], { rxBytes: 0, txBytes: 0 }], // truncated line
  ];
  for (const [lines, want] of cases) assert.deepEqual(parseNetDev(lines.join('\n')), want, lines.slice(2).join('|'));
});
