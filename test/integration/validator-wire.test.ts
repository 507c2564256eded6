// Issue 13 item 5: the range rules the CLI used to check itself (--shm-size, --cpus, --memory-
// swappiness, --blkio-weight) belong to the daemon's one validator. Each bad value is sent twice:
// over the wire as a raw HostConfig (no CLI in the way) and through `isula`; both must be refused
// with the same iSulad words, the CLI with iSulad's exit code. Values the CLI used to refuse but
// iSulad takes (--cpus 0: no limit, --shm-size 0: the default size) now create.
import '../helpers/proto-text-hooks.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import * as grpc from '@grpc/grpc-js';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { canRun, inspectField, ok, skipReason } from './container-fixture.ts';

const { isulaGrpc } = await import('../helpers/grpc-clients.ts');

type Client = grpc.Client & Record<string, (...a: unknown[]) => unknown>;

/** a unary call: the gRPC status and its message, or iSulad's cc/errmsg in the reply */
function call(c: Client, method: string, req: Record<string, unknown>): Promise<{ code: number; message: string }> {
  return new Promise((resolve) => {
    c[method]!(req, new grpc.Metadata(), { deadline: Date.now() + 60_000 }, (err: grpc.ServiceError | null, res?: { cc?: number; errmsg?: string }) => {
      if (err) resolve({ code: err.code, message: err.details });
      else resolve({ code: res?.cc ? -1 : 0, message: res?.errmsg ?? '' });
    });
  });
}

const cpus = availableParallelism();
const CPUS_RANGE = `Range of CPUs is from 0.01 to ${cpus}.00, as there are only ${cpus} CPUs available`;

// [what, HostConfig sent on the wire, the same through the CLI, iSulad's words]
const CREATE_CASES: Array<[string, Record<string, unknown>, string[], string]> = [
  ['cpus below 0.01', { NanoCpus: 1_000_000 }, ['--cpus', '0.001'], CPUS_RANGE],
  ['cpus above the online CPUs', { NanoCpus: (cpus + 1) * 1e9 }, ['--cpus', String(cpus + 1)], CPUS_RANGE],
  ['negative cpus (wire only: the CLI takes no sign)', { NanoCpus: -1e9 }, [], CPUS_RANGE],
  ['swappiness above 100', { MemorySwappiness: 101 }, ['--memory-swappiness', '101'], 'Invalid value: 101, valid memory swappiness range is 0-100'],
  ['swappiness below -1', { MemorySwappiness: -2 }, ['--memory-swappiness', '-2'], 'Invalid value: -2, valid memory swappiness range is 0-100'],
  ['blkio weight below 10', { BlkioWeight: 5 }, ['--blkio-weight', '5'], 'Range of blkio weight is from 10 to 1000.'],
  // (the CLI parses --blkio-weight as iSulad's uint16: 70000 is its own syntax error, 1001 reaches the daemon)
  ['blkio weight above 1000', { BlkioWeight: 70000 }, ['--blkio-weight', '1001'], 'Range of blkio weight is from 10 to 1000.'],
  ['negative shm size (wire only: the CLI takes no sign)', { ShmSize: -1 }, [], 'Invalid shm size: -1'],
];

describe('one validator: the CLI\'s former range checks, on the wire and through the CLI', { skip: skipReason }, () => {
  let d: Daemon;
  let client: Client;
  before(async () => {
    if (!canRun) return;
    d = await startDaemon();
    const g = isulaGrpc() as unknown as Record<string, Record<string, grpc.ServiceClientConstructor>>;
    client = new g['containers']!['ContainerService']!(`unix://${d.sock}`, grpc.credentials.createInsecure()) as never;
  });
  after(async () => {
    if (!canRun) return;
    client.close();
    await d.stop();
  });

  for (const [what, hc, flags, words] of CREATE_CASES) {
    test(`create refuses ${what}`, async () => {
      const wire = await call(client, 'Create', { image: 'busybox', hostconfig: JSON.stringify(hc), customconfig: JSON.stringify({ Cmd: ['true'] }) });
      assert.notEqual(wire.code, 0, `wire ${JSON.stringify(hc)} was taken`);
      assert.equal(wire.code, grpc.status.INVALID_ARGUMENT, wire.message);
      assert.ok(wire.message.includes(words), `wire ${JSON.stringify(hc)}: want "${words}", got "${wire.message}"`);
      if (flags.length === 0) return;
      // iSulad's client: create exits 1 when the daemon refuses, run 125
      const r = await d.isula(['create', ...flags, 'busybox', 'true']);
      assert.equal(r.code, 1, `isula create ${flags.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.includes(words), `isula create ${flags.join(' ')}: want "${words}", got "${r.stderr}"`);
      const run = await d.isula(['run', '--rm', ...flags, 'busybox', 'true']);
      assert.equal(run.code, 125, `isula run ${flags.join(' ')}: ${run.stderr}`);
      assert.ok(run.stderr.includes(words), `isula run ${flags.join(' ')}: want "${words}", got "${run.stderr}"`);
    });
  }

  test('health probe periods under one second and negative retries are refused by the daemon (iSulad\'s verify), on the wire and through the CLI', async () => {
    for (const [hc, words] of [
      [{ Test: ['CMD', 'true'], Interval: 1 }, 'Interval in Healthcheck cannot be less than one second'],
      [{ Test: ['CMD', 'true'], Timeout: 5e8 }, 'Timeout in Healthcheck cannot be less than one second'],
      [{ Test: ['CMD', 'true'], Retries: -1 }, '--health-retries cannot be negative'],
    ] as const) {
      const wire = await call(client, 'Create', { image: 'busybox', hostconfig: '{}', customconfig: JSON.stringify({ Cmd: ['true'], Healthcheck: hc }) });
      assert.equal(wire.code, grpc.status.INVALID_ARGUMENT, `${JSON.stringify(hc)}: ${wire.message}`);
      assert.ok(wire.message.includes(words), `want "${words}", got "${wire.message}"`);
    }
    for (const [flags, words] of [
      [['--health-interval', '500ms'], 'Interval in Healthcheck cannot be less than one second'],
      [['--health-start-period', '10ms'], 'StartPeriod in Healthcheck cannot be less than one second'],
    ] as const) {
      const r = await d.isula(['create', '--health-cmd', 'true', ...flags, 'busybox', 'true']);
      assert.equal(r.code, 1, `isula create ${flags.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.includes(words), `want "${words}", got "${r.stderr}"`);
    }
    await ok(d, ['rm', (await ok(d, ['create', '--health-cmd', 'true', '--health-interval', '1s', 'busybox', 'true'])).stdout.trim()]);
  });

  test('the CLI still refuses bad syntax itself, with iSulad\'s client words and 125', async () => {
    for (const [flags, words] of [
      [['--cpus', 'x'], 'Invalid value "x" for flag --cpus'],
      [['--memory-swappiness', 'x'], 'Invalid value "x" for flag --memory-swappiness. Valid memory swappiness range is 0-100'],
    ] as const) {
      const r = await d.isula(['create', ...flags, 'busybox', 'true']);
      assert.equal(r.code, 125, r.stderr);
      assert.ok(r.stderr.includes(words), r.stderr);
    }
  });

  test('--cpus 0 is no limit and --shm-size 0 the default size, as in iSulad (the CLI used to refuse both)', async () => {
    const id = (await ok(d, ['create', '--cpus', '0', '--shm-size', '0', 'busybox', 'true'])).stdout.trim();
    assert.equal(await inspectField(d, id, '{{.HostConfig.NanoCpus}}'), '0');
    await ok(d, ['rm', id]);
  });

  test('update refuses the same ranges on the wire and through the CLI', async () => {
    const id = (await ok(d, ['create', 'busybox', 'true'])).stdout.trim();
    for (const [hc, flags, words] of [
      [{ NanoCpus: 1_000_000 }, ['--cpus', '0.001'], CPUS_RANGE],
      [{ BlkioWeight: 5 }, ['--blkio-weight', '5'], 'Range of blkio weight is from 10 to 1000.'],
      [{ BlkioWeight: 70000 }, ['--blkio-weight', '1001'], 'Range of blkio weight is from 10 to 1000.'],
    ] as const) {
      const wire = await call(client, 'Update', { id, hostconfig: JSON.stringify(hc) });
      assert.notEqual(wire.code, 0, `wire update ${JSON.stringify(hc)} was taken`);
      assert.ok(wire.message.includes(words), `wire update ${JSON.stringify(hc)}: want "${words}", got "${wire.message}"`);
      const r = await d.isula(['update', ...flags, id]);
      assert.notEqual(r.code, 0, `isula update ${flags.join(' ')} was taken`);
      assert.ok(r.stderr.includes(words), `isula update ${flags.join(' ')}: want "${words}", got "${r.stderr}"`);
    }
    await ok(d, ['rm', id]);
  });
});
