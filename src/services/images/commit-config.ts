// The image config of `isula commit` (docker's semantics; iSulad has no commit): the base image's
// config with the container's runtime config, `-c` changes applied on top, a new history entry and
// one more diff ID. Pure functions, unit-tested.
import type { ImageConfigBlob, ImageRuntimeConfig } from '../../image/types.ts';
import { invalidArgument } from '../../util/errors.ts';

/** The container's config fields an image carries (ContainerConfig is a superset). */
export interface CommitRuntimeConfig {
  User: string;
  Env: string[];
  Cmd: string[];
  Entrypoint: string[];
  WorkingDir: string;
  Labels: Record<string, string>;
  Volumes: Record<string, Record<string, never>>;
  StopSignal: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number; ExitOnUnhealthy?: boolean };
}

/** The Dockerfile instructions `-c/--change` accepts (docker commit's list). */
const CHANGE_INSTRUCTIONS = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'USER', 'VOLUME', 'WORKDIR', 'STOPSIGNAL'] as const;

export type ImageConfigWithOnBuild = ImageRuntimeConfig & { OnBuild?: string[] };

/** Splits on blanks; "..." (with backslash escapes) and '...' quote, as Dockerfile words do. */
export function splitWords(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === ' ' || c === '\t') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw invalidArgument(`unmatched ' in ${JSON.stringify(s)}`);
      cur += s.slice(i + 1, end);
      i = end;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && j + 1 < s.length) j++;
        cur += s[j];
      }
      if (j >= s.length) throw invalidArgument(`unmatched " in ${JSON.stringify(s)}`);
      i = j;
      continue;
    }
    if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      continue;
    }
    cur += c;
  }
  if (inWord) out.push(cur);
  return out;
}

/** A JSON array of strings (exec form), or undefined when the text is not one. */
function execForm(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(rest);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    // not JSON: shell form
  }
  return undefined;
}

function commandOf(rest: string): string[] {
  return execForm(rest) ?? ['/bin/sh', '-c', rest];
}

/** key=value pairs (ENV/LABEL); the legacy `ENV key value...` form when there is no '='. */
function pairsOf(instr: string, rest: string): Array<[string, string]> {
  const words = splitWords(rest);
  if (words.length === 0) throw invalidArgument(`${instr} requires at least one argument`);
  if (!(words[0] as string).includes('=')) {
    const sp = rest.search(/[ \t]/);
    if (sp < 0) throw invalidArgument(`${instr} must have two arguments`);
    return [[rest.slice(0, sp), rest.slice(sp).trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw invalidArgument(`${instr} names can not be blank: ${JSON.stringify(w)}`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** Applies `-c` changes in order to a runtime config (returns a new object). */
export function applyChanges(base: ImageConfigWithOnBuild, changes: readonly string[]): ImageConfigWithOnBuild {
  const c: ImageConfigWithOnBuild = structuredClone(base);
  for (const raw of changes) {
    const line = raw.trim();
    if (line === '') continue;
    const m = /^(\S+)\s*(.*)$/s.exec(line) as RegExpExecArray;
    const instr = (m[1] as string).toUpperCase();
    const rest = (m[2] as string).trim();
    if (!(CHANGE_INSTRUCTIONS as readonly string[]).includes(instr)) throw invalidArgument(`${m[1]} is not a valid change command`);
    if (rest === '' && instr !== 'CMD' && instr !== 'ENTRYPOINT') throw invalidArgument(`${instr} requires at least one argument`);
    switch (instr) {
      case 'CMD':
        c.Cmd = rest === '' ? null : commandOf(rest);
        break;
      case 'ENTRYPOINT':
        // docker: an ENTRYPOINT resets a CMD that came before it
        c.Entrypoint = rest === '' ? null : commandOf(rest);
        c.Cmd = null;
        break;
      case 'ENV': {
        const env = [...(c.Env ?? [])];
        for (const [k, v] of pairsOf(instr, rest)) {
          const i = env.findIndex((e) => e === k || e.startsWith(`${k}=`));
          if (i >= 0) env[i] = `${k}=${v}`;
          else env.push(`${k}=${v}`);
        }
        c.Env = env;
        break;
      }
      case 'LABEL':
        c.Labels = { ...(c.Labels ?? {}) };
        for (const [k, v] of pairsOf(instr, rest)) c.Labels[k] = v;
        break;
      case 'EXPOSE':
        c.ExposedPorts = { ...(c.ExposedPorts ?? {}) };
        for (const p of splitWords(rest)) {
          const mm = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp|sctp))?$/i.exec(p);
          if (!mm) throw invalidArgument(`invalid port ${JSON.stringify(p)} in EXPOSE`);
          const lo = Number(mm[1]);
          const hi = mm[2] === undefined ? lo : Number(mm[2]);
          if (lo < 1 || hi > 65535 || hi < lo) throw invalidArgument(`invalid port ${JSON.stringify(p)} in EXPOSE`);
          for (let port = lo; port <= hi; port++) c.ExposedPorts[`${port}/${(mm[3] ?? 'tcp').toLowerCase()}`] = {};
        }
        break;
      case 'USER':
        c.User = rest;
        break;
      case 'WORKDIR': {
        const w = splitWords(rest).join(' ');
        c.WorkingDir = w.startsWith('/') ? w : `${(c.WorkingDir ?? '/').replace(/\/+$/, '')}/${w}`;
        break;
      }
      case 'VOLUME': {
        const vols = execForm(rest) ?? splitWords(rest);
        c.Volumes = { ...(c.Volumes ?? {}) };
        for (const v of vols) {
          if (v.trim() === '') throw invalidArgument('VOLUME specified can not be an empty string');
          c.Volumes[v] = {};
        }
        break;
      }
      case 'STOPSIGNAL':
        c.StopSignal = rest;
        break;
      case 'ONBUILD':
        c.OnBuild = [...(c.OnBuild ?? []), rest];
        break;
    }
  }
  return c;
}

/** The image `config` section from a container's config (empty fields left out). */
export function imageRuntimeConfigOf(cc: CommitRuntimeConfig, base: ImageConfigWithOnBuild | undefined): ImageConfigWithOnBuild {
  const out: ImageConfigWithOnBuild = {};
  if (cc.User) out.User = cc.User;
  if (cc.ExposedPorts && Object.keys(cc.ExposedPorts).length) out.ExposedPorts = { ...cc.ExposedPorts };
  out.Env = [...cc.Env];
  if (cc.Entrypoint.length) out.Entrypoint = [...cc.Entrypoint];
  if (cc.Cmd.length) out.Cmd = [...cc.Cmd];
  if (Object.keys(cc.Volumes).length) out.Volumes = { ...cc.Volumes };
  if (cc.WorkingDir) out.WorkingDir = cc.WorkingDir;
  if (Object.keys(cc.Labels).length) out.Labels = { ...cc.Labels };
  // SIGTERM is every engine's default: written only when the base image named a signal
  if (cc.StopSignal && (cc.StopSignal !== 'SIGTERM' || base?.StopSignal)) out.StopSignal = cc.StopSignal;
  if (cc.Healthcheck) {
    const { ExitOnUnhealthy: _drop, ...hc } = cc.Healthcheck;
    if (Object.keys(hc).length) out.Healthcheck = hc;
  }
  if (base?.OnBuild?.length) out.OnBuild = [...base.OnBuild];
  return out;
}

export interface CommitConfigInput {
  /** the base image's config (undefined: a container without an image) */
  base: (ImageConfigBlob & Record<string, unknown>) | undefined;
  platform: { os: string; architecture: string; variant?: string };
  containerId: string;
  runtime: CommitRuntimeConfig;
  /** the container's command line, for created_by */
  createdBy: string;
  diffId: string;
  created: string;
  author?: string;
  message?: string;
  changes?: readonly string[];
}

/** The new image config: base fields kept, config/created/author/history/diff_ids updated. */
export function committedConfig(i: CommitConfigInput): Record<string, unknown> {
  const base = i.base ?? { architecture: i.platform.architecture, os: i.platform.os, ...(i.platform.variant ? { variant: i.platform.variant } : {}), rootfs: { type: 'layers' as const, diff_ids: [] } };
  // docker's v1 compatibility fields describe the base image, not this one
  const { id: _id, parent: _parent, container_config: _cc, ...kept } = base as Record<string, unknown>;
  const baseRuntime = base.config as ImageConfigWithOnBuild | undefined;
  const config = applyChanges(imageRuntimeConfigOf(i.runtime, baseRuntime), i.changes ?? []);
  const entry: Record<string, unknown> = { created: i.created };
  if (i.author) entry.author = i.author;
  entry.created_by = i.createdBy;
  if (i.message) entry.comment = i.message;
  const out: Record<string, unknown> = {
    ...kept,
    created: i.created,
    container: i.containerId,
    config,
    rootfs: { type: 'layers', diff_ids: [...base.rootfs.diff_ids, i.diffId] },
    history: [...(base.history ?? []), entry],
  };
  if (i.author) out.author = i.author;
  else delete out.author;
  return out;
}
