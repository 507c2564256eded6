import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lxcSeccompFromOci, lxcAction } from '../../../../src/runtime/lcr/lxc-seccomp.ts';
import { defaultSeccompProfile, DEFAULT_DENIED_SYSCALLS } from '../../../../src/spec/seccomp-default.ts';

test('default profile → denylist with EPERM rules and the clone NEWUSER condition', () => {
  const t = lxcSeccompFromOci(defaultSeccompProfile()).split('\n');
  assert.deepEqual(t.slice(0, 3), ['2', 'denylist', '[all]']);
  assert.ok(t.includes('mount errno 1'));
  assert.ok(t.includes('clone3 errno 38'));
  assert.ok(t.includes('clone errno 1 [0,268435456,SCMP_CMP_MASKED_EQ,268435456]'));
  assert.equal(t.filter((l) => l.endsWith(' errno 1')).length, DEFAULT_DENIED_SYSCALLS.length);
});

test('allowlist profile with default errno', () => {
  const t = lxcSeccompFromOci({ defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 38, syscalls: [{ names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' }, { names: ['kill'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }] });
  assert.equal(t, '2\nallowlist errno 38\n[all]\nread allow\nwrite allow\n');
});

test('MASKED_EQ swaps operands; other ops keep order', () => {
  const t = lxcSeccompFromOci({
    defaultAction: 'SCMP_ACT_ALLOW',
    syscalls: [
      { names: ['personality'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 8, op: 'SCMP_CMP_EQ' }] },
      { names: ['clone'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 0xff, valueTwo: 0x10, op: 'SCMP_CMP_MASKED_EQ' }] },
    ],
  });
  assert.ok(t.includes('personality errno 1 [0,8,SCMP_CMP_EQ]'));
  assert.ok(t.includes('clone errno 1 [0,16,SCMP_CMP_MASKED_EQ,255]'));
});

const actions = [
  ['SCMP_ACT_ALLOW', 'allow'], ['SCMP_ACT_LOG', 'allow'], ['SCMP_ACT_KILL', 'kill'], ['SCMP_ACT_KILL_PROCESS', 'kill'],
  ['SCMP_ACT_TRAP', 'trap'], ['SCMP_ACT_ERRNO', 'errno 1'], ['SCMP_ACT_TRACE', 'errno 38'],
] as const;
for (const [oci, lxc] of actions) test(`action ${oci}`, () => assert.equal(lxcAction(oci, undefined), lxc));

test('invalid syscall name rejected (config injection)', () => {
  assert.throws(() => lxcSeccompFromOci({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['read\nkill'], action: 'SCMP_ACT_ERRNO' }] }), /invalid syscall/);
});
