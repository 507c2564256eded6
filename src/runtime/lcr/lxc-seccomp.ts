// OCI linux.seccomp → LXC's seccomp v2 text format (lxc.seccomp.profile points at the file).
// Pure. Format: "2", then "allowlist [action]" or "denylist", then one "name action [args]" per
// line under an "[all]" arch section. LXC's comparison tuple is [index,datum,op,mask] for
// MASKED_EQ, the reverse of OCI's value=mask/valueTwo=datum (research/runtime-lab.md §2(h)).
import type { Seccomp, SeccompAction, SeccompArg, SeccompRule } from '../oci-spec.ts';
import { invalidArgument } from '../../util/errors.ts';

const EPERM = 1;
const ENOSYS = 38;

/** OCI action → LXC action word (LXC has no LOG or TRACE: LOG allows, TRACE fails with ENOSYS). */
export function lxcAction(action: SeccompAction, errnoRet: number | undefined): string {
  switch (action) {
    case 'SCMP_ACT_ALLOW':
    case 'SCMP_ACT_LOG':
      return 'allow';
    case 'SCMP_ACT_ERRNO':
      return `errno ${errnoRet ?? EPERM}`;
    case 'SCMP_ACT_KILL':
    case 'SCMP_ACT_KILL_PROCESS':
      return 'kill';
    case 'SCMP_ACT_TRAP':
      return 'trap';
    case 'SCMP_ACT_TRACE':
      return `errno ${ENOSYS}`;
  }
}

function argText(a: SeccompArg): string {
  if (a.op === 'SCMP_CMP_MASKED_EQ') return `[${a.index},${a.valueTwo ?? 0},${a.op},${a.value}]`;
  return `[${a.index},${a.value},${a.op}${a.valueTwo !== undefined ? `,${a.valueTwo}` : ''}]`;
}

function ruleLines(r: SeccompRule): string[] {
  const act = lxcAction(r.action, r.errnoRet);
  const args = (r.args ?? []).map(argText).join(' ');
  return r.names.map((n) => {
    if (!/^[a-z0-9_]+$/.test(n)) throw invalidArgument(`seccomp: invalid syscall name "${n}"`);
    return args === '' ? `${n} ${act}` : `${n} ${act} ${args}`;
  });
}

export function lxcSeccompFromOci(p: Seccomp): string {
  const def = lxcAction(p.defaultAction, p.defaultErrnoRet);
  const header = def === 'allow' ? 'denylist' : def === 'kill' ? 'allowlist' : `allowlist ${def}`;
  const lines = ['2', header, '[all]'];
  for (const r of p.syscalls) {
    // a rule with the default action (and no condition) changes nothing; LXC would reject some
    if (lxcAction(r.action, r.errnoRet) === def && (r.args ?? []).length === 0) continue;
    lines.push(...ruleLines(r));
  }
  return lines.join('\n') + '\n';
}
