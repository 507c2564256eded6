// services/containers/validate: one owner for the type and range rules of Config/HostConfig from
// the wire (issue 13 item 5), plus a bounded fuzz: random and mutated valid requests either pass
// or fail with invalid-argument and a message, never with a TypeError or another kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kindOf } from '../../../../src/util/errors.ts';
import { checkUpdateRanges, updatePatchOf, validateCreateRequest } from '../../../../src/services/containers/validate.ts';
import type { CreateRequest } from '../../../../src/services/containers/types.ts';
import { prng } from '../../../helpers/prng.ts';

const M = 1024 * 1024;
const req = (hostConfig: Record<string, unknown>, config: Record<string, unknown> = {}): CreateRequest =>
  ({ image: 'busybox', hostConfig, config }) as unknown as CreateRequest;

test('types: every field has its type checked, with the field named', () => {
  const cases: Array<[Record<string, unknown>, Record<string, unknown>, RegExp]> = [
    [{ Binds: 'x' }, {}, /HostConfig\.Binds: array expected, got string/],
    [{ Binds: [1] }, {}, /HostConfig\.Binds\[0\]: string expected/],
    [{ Memory: '4m' }, {}, /HostConfig\.Memory: integer expected/],
    [{ Memory: 1.5 }, {}, /HostConfig\.Memory: integer expected/],
    [{ Tmpfs: ['/x'] }, {}, /HostConfig\.Tmpfs: object expected, got array/],
    [{ RestartPolicy: { Name: 3 } }, {}, /HostConfig\.RestartPolicy\.Name: string expected/],
    [{ Mounts: [{ Type: 'bind', ReadOnly: 'yes' }] }, {}, /HostConfig\.Mounts\[0\]\.ReadOnly: boolean expected/],
    [{ PortBindings: { '80/tcp': [{ HostPort: 80 }] } }, {}, /PortBindings\.80\/tcp\[0\]\.HostPort: string expected/],
    [{}, { Cmd: 'sh' }, /Config\.Cmd: array expected/],
    [{}, { Env: [null] }, /Config\.Env\[0\]: string expected, got null/],
    [{}, { Tty: 1 }, /Config\.Tty: boolean expected/],
    [{}, { Healthcheck: { Interval: '1s' } }, /Config\.Healthcheck\.Interval: integer expected/],
  ];
  for (const [h, c, re] of cases) assert.throws(() => validateCreateRequest(req(h, c), 2), re, JSON.stringify([h, c]));
  assert.throws(() => validateCreateRequest({ image: 'b', hostConfig: 'x' } as unknown as CreateRequest), /HostConfig: object expected/);
});

test('ranges with iSulad\'s wording: memory floor 4 MB, --cpus vs online CPUs, security-opt set', () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ Memory: 3 * M }, /Minimum memory limit allowed is 4MB/],
    [{ NanoCpus: 9999e9 }, /Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available/],
    [{ NanoCpus: 1e6 }, /Range of CPUs is from 0.01 to 2.00/],
    [{ CpuPeriod: 10 }, /CPU cfs period can not be less than 1ms/],
    [{ CpuQuota: 10 }, /CPU cfs quota can not be less than 1ms/],
    [{ OomScoreAdj: 1001 }, /range for oom score adj is \[-1000, 1000\]/],
    [{ SecurityOpt: ['apparmor=x'] }, /Invalid --security-opt: apparmor=x/],
    [{ MemorySwap: -2 }, /Invalid memory swap limit/],
    [{ RestartPolicy: { Name: 'on-failure', MaximumRetryCount: -1 } }, /maximum retry count cannot be negative/],
    [{ MemorySwap: 64 * M }, /You should always set the Memory limit when using Memoryswap limit/],
    [{ Memory: 64 * M, MemorySwap: 32 * M }, /Minimum memoryswap limit should be larger than memory limit/],
    [{ CpusetCpus: '0-' }, /Invalid value 0- for cpuset cpus/],
    // iSulad compares runtime with period first (cpu_rt.sh: --cpu-rt-period -1 --cpu-rt-runtime 10000)
    [{ CPURealtimePeriod: -1, CPURealtimeRuntime: 10000 }, /Invalid --cpu-rt-runtime: rt runtime cannot be higher than rt period/],
    [{ CPURealtimePeriod: -1 }, /Invalid --cpu-rt-period: -1/],
  ];
  for (const [h, re] of cases) assert.throws(() => validateCreateRequest(req(h), 2), re, JSON.stringify(h));
  for (const h of [{ Memory: 4 * M }, { NanoCpus: 1e7 }, { NanoCpus: 2e9 }, { CpuQuota: -1 }, { SecurityOpt: ['no-new-privileges', 'seccomp=unconfined'] }, {}]) {
    validateCreateRequest(req(h), 2);
  }
});

test('Config ranges with iSulad\'s wording (verify_health_check_parameter): probe periods of at least one second, retries not negative', () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ Healthcheck: { Test: ['CMD', 'true'], Interval: 1 } }, /Interval in Healthcheck cannot be less than one second$/],
    [{ Healthcheck: { Interval: 999_999_999 } }, /Interval in Healthcheck cannot be less than one second$/],
    [{ Healthcheck: { Interval: -1e9 } }, /Interval in Healthcheck cannot be less than one second$/],
    [{ Healthcheck: { Timeout: 5e8 } }, /Timeout in Healthcheck cannot be less than one second$/],
    [{ Healthcheck: { StartPeriod: 10 } }, /StartPeriod in Healthcheck cannot be less than one second$/],
    [{ Healthcheck: { Retries: -1 } }, / --health-retries cannot be negative$/],
  ];
  for (const [c, re] of cases) assert.throws(() => validateCreateRequest(req({}, c), 2), re, JSON.stringify(c));
  // 0 is the default, a second and more are taken
  for (const c of [{ Healthcheck: { Interval: 0, Timeout: 0, StartPeriod: 0, Retries: 0 } }, { Healthcheck: { Interval: 1e9, Timeout: 1e9, StartPeriod: 6e10, Retries: 3 } }, {}]) {
    validateCreateRequest(req({}, c), 2);
  }
});

const VALID_HOST: Record<string, unknown> = {
  Binds: ['/a:/b:ro'], Mounts: [{ Type: 'tmpfs', Source: '', Target: '/t', ReadOnly: false }], Tmpfs: { '/run': 'size=1m' },
  Memory: 8 * M, MemorySwap: -1, NanoCpus: 5e8, CpuShares: 512, CpusetCpus: '0', PidsLimit: 10, OomScoreAdj: 100,
  ShmSize: 64 * M, SecurityOpt: ['no-new-privileges'], RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 },
  LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } }, Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 20 }],
  Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/dev/n', CgroupPermissions: 'rwm' }], PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] },
};
const VALID_CONFIG: Record<string, unknown> = { Cmd: ['sh'], Env: ['A=1'], Tty: false, Labels: { a: 'b' }, Healthcheck: { Test: ['NONE'], Retries: 1 } };
const ODD: unknown[] = [null, 0, -1, 1.5, 2 ** 53, -(2 ** 60), '', 'x', '-1', true, false, [], [1], ['x'], {}, { a: 1 }, NaN, 1e308];

function mutate(v: unknown, r: () => number, depth = 0): unknown {
  if (r() < 0.15 || depth > 4) return ODD[Math.floor(r() * ODD.length)];
  if (Array.isArray(v)) return v.map((x) => (r() < 0.3 ? mutate(x, r, depth + 1) : x));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (r() > 0.05) out[k] = r() < 0.3 ? mutate(x, r, depth + 1) : x;
    return out;
  }
  return v;
}

test('fuzz: 5000 mutated and random requests end in pass or invalid-argument, never a crash', () => {
  const r = prng(13);
  let refused = 0;
  for (let i = 0; i < 5000; i++) {
    const h = i % 5 === 0 ? ODD[Math.floor(r() * ODD.length)] : mutate(VALID_HOST, r);
    const c = i % 7 === 0 ? ODD[Math.floor(r() * ODD.length)] : mutate(VALID_CONFIG, r);
    try {
      validateCreateRequest({ image: 'busybox', hostConfig: h, config: c } as unknown as CreateRequest, 2);
    } catch (err) {
      assert.equal(kindOf(err), 'invalid-argument', `case ${i}: ${String(err)} for ${JSON.stringify([h, c])}`);
      assert.ok((err as Error).message.length > 0);
      refused++;
    }
  }
  assert.ok(refused > 1000 && refused < 5000, `refused ${refused}`);
});

const VALID_UPDATE: Record<string, unknown> = {
  Memory: 64 * M, MemorySwap: 128 * M, NanoCpus: 5e8, CpuShares: 512, CpuQuota: 0, CpuPeriod: 0, PidsLimit: -1, CpusetCpus: '0-1',
  RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
};

test('update: the same validator types the patch (unknown keys dropped) and owns the shared ranges', () => {
  assert.deepEqual(updatePatchOf({ Memory: 8 * M, Binds: ['x'], RestartPolicy: { Name: 'no' } }), { Memory: 8 * M, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } });
  assert.throws(() => updatePatchOf([]), /HostConfig: object expected, got array/);
  assert.throws(() => updatePatchOf({ NanoCpus: '1' }), /HostConfig\.NanoCpus: integer expected/);
  assert.throws(() => checkUpdateRanges({ NanoCpus: 3e9 }, 2), /Range of CPUs is from 0.01 to 2.00/);
  checkUpdateRanges(updatePatchOf(VALID_UPDATE), 2);
});

test('fuzz: 3000 mutated and random update patches end in pass or invalid-argument', () => {
  const r = prng(1313);
  let refused = 0;
  for (let i = 0; i < 3000; i++) {
    const h = i % 5 === 0 ? ODD[Math.floor(r() * ODD.length)] : mutate(VALID_UPDATE, r);
    try {
      checkUpdateRanges(updatePatchOf(h), 2);
    } catch (err) {
      assert.equal(kindOf(err), 'invalid-argument', `case ${i}: ${String(err)} for ${JSON.stringify(h)}`);
      refused++;
    }
  }
  assert.ok(refused > 300 && refused < 3000, `refused ${refused}`);
});
