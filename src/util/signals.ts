// Linux signal numbers (x86_64/arm64/armv7 agree for all of these), for --stop-signal, kill -s and
// LXC's lxc.signal.* keys. A const table, not an enum (the bundle strips types only).

export const SIGNALS = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11,
  USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20,
  TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29, PWR: 30,
  SYS: 31,
} as const satisfies Record<string, number>;

export type SignalName = keyof typeof SIGNALS;

const SIGRTMIN = 34;
const SIGRTMAX = 64;

/** "TERM", "SIGTERM", "sigterm", "15", "RTMIN+3" → number; undefined when not a signal. */
export function parseSignal(s: string): number | undefined {
  const t = s.trim().toUpperCase();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n >= 1 && n <= SIGRTMAX ? n : undefined;
  }
  const name = t.startsWith('SIG') ? t.slice(3) : t;
  if (name in SIGNALS) return SIGNALS[name as SignalName];
  const rt = /^RT(MIN|MAX)([+-]\d+)?$/.exec(name);
  if (rt) {
    const n = (rt[1] === 'MIN' ? SIGRTMIN : SIGRTMAX) + Number(rt[2] ?? 0);
    return n >= SIGRTMIN && n <= SIGRTMAX ? n : undefined;
  }
  return undefined;
}

/** 15 → "SIGTERM" (numbers without a name stay numeric). */
export function signalName(n: number): string {
  for (const [k, v] of Object.entries(SIGNALS)) if (v === n) return `SIG${k}`;
  return String(n);
}

/** Annotation that carries the stop signal in a built spec (OCI image-spec name). */
export const STOP_SIGNAL_ANNOTATION = 'org.opencontainers.image.stopSignal';

/** The stop signal recorded in a spec (SIGTERM when none). */
export function stopSignalOf(s: { annotations?: Record<string, string> }): number {
  return parseSignal(s.annotations?.[STOP_SIGNAL_ANNOTATION] ?? 'TERM') ?? 15;
}
