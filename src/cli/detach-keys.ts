// The detach sequence of `isula attach`: iSulad's Ctrl-A q by default, docker's `--detach-keys`
// syntax ("ctrl-p,ctrl-q": comma-separated; `ctrl-<x>` for a control key, or one plain character).
// The matcher holds back bytes that might start the sequence and releases them when the next
// byte shows they do not. Pure.
import { invalidArgument } from '../util/errors.ts';

export const DEFAULT_DETACH_KEYS = 'ctrl-a,q';

export function parseDetachKeys(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const p = part.trim();
    if (p.length === 1) out.push(p.charCodeAt(0));
    else if (/^ctrl-[a-z@[\\\]^_]$/i.test(p)) {
      const ch = p.slice(5);
      out.push(/[a-z]/i.test(ch) ? ch.toLowerCase().charCodeAt(0) - 96 : ch.charCodeAt(0) - 64);
    } else throw invalidArgument(`Invalid detach keys (${spec}) provided`);
  }
  if (out.length === 0) throw invalidArgument(`Invalid detach keys (${spec}) provided`);
  return out;
}

export interface DetachMatcher {
  /** bytes to forward, and whether the whole sequence has been typed (detach now) */
  feed(chunk: Buffer): { forward: Buffer; detach: boolean };
}

export function detachMatcher(keys: readonly number[]): DetachMatcher {
  let matched = 0;
  return {
    feed(chunk) {
      const out: number[] = [];
      for (const b of chunk) {
        if (b === keys[matched]) {
          matched++;
          if (matched === keys.length) return { forward: Buffer.from(out), detach: true };
          continue;
        }
        // not the sequence after all: release what was held, then look at b afresh
        for (let i = 0; i < matched; i++) out.push(keys[i] as number);
        matched = 0;
        if (b !== keys[0]) out.push(b);
        else if (keys.length === 1) return { forward: Buffer.from(out), detach: true };
        else matched = 1;
      }
      return { forward: Buffer.from(out), detach: false };
    },
  };
}
