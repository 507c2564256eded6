// Spec-driven flag parser with iSulad's syntax and messages (its command_parser): `--x=y`,
// `--x y`, `-x y`, `-xy`, `-x=y`, grouped short bools (`-it`), `--` ends flags, a lone `-` is an
// argument. Flags may follow arguments (`isula rm c1 -f`) unless the command takes a command line
// (run/create/exec): then parsing stops at the first argument, so `isula run busybox ls -l` keeps
// `-l` for the container. Pure: no I/O, errors are `invalid-argument` with iSulad's wording.
// The daemon uses it too (isulad's flags), which is why it lives in util/ and imports nothing from
// the CLI; src/cli/flags.ts re-exports it for the commands.

import { invalidArgument } from './errors.ts';
import { parseBool, parseDuration, parseInteger, parseSize } from './units.ts';

/** int: a signed integer; u16: 0-65535 (iSulad's uint16 flags, e.g. --blkio-weight: -1 is out of range) */
export type FlagKind = 'bool' | 'string' | 'list' | 'map' | 'int' | 'u16' | 'size' | 'duration';

export interface FlagSpec {
  /** long name without dashes; also the key in the parsed values */
  long: string;
  /** one-letter short name */
  short?: string;
  kind: FlagKind;
  description: string;
  /** shown as `--name <metavar>` in help; purely cosmetic */
  metavar?: string;
  /** map flags: accept `key` without `=value` (value ""), as labels do */
  bareKeyOk?: boolean;
  hidden?: boolean;
}

export type FlagValue = boolean | string | number | string[] | Record<string, string>;

export interface ParsedFlags {
  /** values by long name, only for flags that were given */
  values: Map<string, FlagValue>;
  args: string[];
  help: boolean;
}

export interface ParseOptions {
  /** stop at the first argument (commands whose tail is a command line) */
  stopAtFirstArg?: boolean;
}

export function parseFlags(specs: readonly FlagSpec[], argv: readonly string[], opts: ParseOptions = {}): ParsedFlags {
  const byLong = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const s of specs) {
    byLong.set(s.long, s);
    if (s.short) byShort.set(s.short, s);
  }
  const values = new Map<string, FlagValue>();
  const args: string[] = [];
  let help = false;
  let i = 0;
  const next = (spec: FlagSpec): string => {
    if (i + 1 >= argv.length) throw invalidArgument(`Flag needs an argument: --${spec.long}`);
    i++;
    return argv[i] as string;
  };
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.length < 2 || a[0] !== '-') {
      if (opts.stopAtFirstArg) {
        args.push(...argv.slice(i));
        break;
      }
      args.push(a);
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const inline = eq < 0 ? undefined : a.slice(eq + 1);
      if (name === 'help' && !byLong.has('help')) {
        help = true;
        continue;
      }
      const spec = byLong.get(name);
      if (!spec) throw invalidArgument(`Unkown flag found:'--${name}'`);
      if (spec.kind === 'bool') {
        store(values, spec, inline === undefined ? true : parseBoolValue(spec, inline));
      } else {
        store(values, spec, convert(spec, inline ?? next(spec)));
      }
      continue;
    }
    // short group: -it, -n name, -nname, -n=name
    for (let j = 1; j < a.length; j++) {
      const c = a[j] as string;
      const spec = byShort.get(c);
      if (!spec) throw invalidArgument(`Unkown flag found:'${c}'`);
      const rest = a.slice(j + 1);
      if (spec.kind === 'bool') {
        if (rest.startsWith('=')) {
          store(values, spec, parseBoolValue(spec, rest.slice(1)));
          break;
        }
        store(values, spec, true);
        continue;
      }
      const raw = rest === '' ? next(spec) : rest.startsWith('=') ? rest.slice(1) : rest;
      store(values, spec, convert(spec, raw));
      break;
    }
  }
  return { values, args, help };
}

function store(values: Map<string, FlagValue>, spec: FlagSpec, v: FlagValue): void {
  if (spec.kind === 'list') {
    const prev = values.get(spec.long);
    values.set(spec.long, [...(Array.isArray(prev) ? prev : []), v as string]);
  } else if (spec.kind === 'map') {
    const prev = values.get(spec.long);
    const [k, val] = v as unknown as [string, string];
    const m = prev && typeof prev === 'object' && !Array.isArray(prev) ? prev : {};
    m[k] = val;
    values.set(spec.long, m);
  } else {
    // re-inserted: the map's order tells which of two aliases came last (--net / --network)
    values.delete(spec.long);
    values.set(spec.long, v);
  }
}

function convert(spec: FlagSpec, raw: string): FlagValue {
  switch (spec.kind) {
    case 'string':
    case 'list':
      return raw;
    case 'map': {
      const eq = raw.indexOf('=');
      if (eq <= 0) {
        if (spec.bareKeyOk && eq < 0 && raw !== '') return [raw, ''] as unknown as FlagValue;
        throw invalidArgument(`Invalid value "${raw}" for flag --${spec.long}: expected key=value`);
      }
      return [raw.slice(0, eq), raw.slice(eq + 1)] as unknown as FlagValue;
    }
    case 'int':
    case 'u16': {
      // iSulad's number flags append the conversion's errno text (strtoll/strtoul): EINVAL for
      // what is not a number, ERANGE for a number outside the type (strtoul takes -1 as ULONG_MAX)
      const n = parseInteger(raw);
      const outOfRange = n === undefined ? /^[+-]?\d+$/.test(raw) : spec.kind === 'u16' && (n < 0 || n > 0xffff);
      if (n === undefined || outOfRange) {
        throw invalidArgument(`Invalid value "${raw}" for flag --${spec.long}: ${outOfRange ? 'Numerical result out of range' : 'Invalid argument'}`);
      }
      return n;
    }
    case 'size': {
      const n = parseSize(raw);
      if (n === undefined) throw invalidArgument(`Invalid value "${raw}" for flag --${spec.long}`);
      return n;
    }
    case 'duration': {
      const n = parseDuration(raw);
      if (n === undefined) throw invalidArgument(`Invalid value "${raw}" for flag --${spec.long}`);
      return n;
    }
    case 'bool':
      return parseBoolValue(spec, raw);
  }
}

function parseBoolValue(spec: FlagSpec, raw: string): boolean {
  const v = parseBool(raw);
  if (v === undefined) throw invalidArgument(`Invalid boolean value "${raw}" for flag --${spec.long}`);
  return v;
}

/** Typed getters over parsed values; a getter of the wrong kind is a programming error. */
export function flagString(p: ParsedFlags, name: string): string | undefined {
  const v = p.values.get(name);
  return typeof v === 'string' ? v : undefined;
}
export function flagBool(p: ParsedFlags, name: string): boolean {
  return p.values.get(name) === true;
}
export function flagNumber(p: ParsedFlags, name: string): number | undefined {
  const v = p.values.get(name);
  return typeof v === 'number' ? v : undefined;
}
export function flagList(p: ParsedFlags, name: string): string[] {
  const v = p.values.get(name);
  return Array.isArray(v) ? v : [];
}

/** The OPTIONS block of a help text, sorted by long name, as iSulad prints it. */
export function formatOptions(specs: readonly FlagSpec[]): string {
  const rows = specs
    .filter((s) => !s.hidden)
    .slice()
    .sort((a, b) => a.long.localeCompare(b.long))
    .map((s) => {
      const head = `${s.short ? `-${s.short}, ` : '    '}--${s.long}`;
      return { head, desc: s.description };
    });
  const width = Math.max(0, ...rows.map((r) => r.head.length)) + 4;
  return rows.map((r) => `  ${r.head.padEnd(width)}${r.desc}\n`).join('');
}
