// Platform selection from a manifest list / OCI index (research/isulad.md §5.5): the entry whose
// os/architecture match, and whose variant matches when both sides name one (a missing variant
// counts as a match). An exact variant match wins over a missing one.
import { invalidArgument } from '../../util/errors.ts';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const ARCH_OF_NODE: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm', i386: '386' };
const DEFAULT_VARIANT: Record<string, string> = { arm64: 'v8' };

/** The platform this process runs on, in OCI terms. */
export function hostPlatform(nodeArch: string = process.arch, armVersion?: string): Platform {
  const architecture = ARCH_OF_NODE[nodeArch] ?? nodeArch;
  if (architecture === 'arm') return { os: 'linux', architecture, variant: `v${armVersion ?? '7'}` };
  const variant = DEFAULT_VARIANT[architecture];
  return variant ? { os: 'linux', architecture, variant } : { os: 'linux', architecture };
}

/** Parses `os/arch[/variant]` or `arch` (os defaults to linux) as given to `--platform`. */
export function parsePlatform(s: string): Platform {
  const parts = s.trim().toLowerCase().split('/');
  if (parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/.test(p))) throw invalidArgument(`invalid platform ${JSON.stringify(s)}: want os/arch[/variant]`);
  const [a, b, c] = parts as [string, string?, string?];
  const p = b === undefined ? { os: 'linux', architecture: a } : { os: a, architecture: b };
  const architecture = ARCH_ALIASES[p.architecture] ?? p.architecture;
  const variant = c ?? DEFAULT_VARIANT[architecture];
  return variant ? { os: p.os, architecture, variant } : { os: p.os, architecture };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** Index of the best entry for `want`, or -1. */
export function selectPlatform(entries: ReadonlyArray<{ platform?: Platform | undefined }>, want: Platform): number {
  let loose = -1;
  for (let i = 0; i < entries.length; i++) {
    const p = entries[i]?.platform;
    if (!p || p.os !== want.os || p.architecture !== want.architecture) continue;
    const v = p.variant || DEFAULT_VARIANT[p.architecture];
    if (v !== undefined && want.variant !== undefined) {
      if (v === want.variant) return i;
      continue;
    }
    if (loose < 0) loose = i;
  }
  return loose;
}
