// Options for the process section and identity: image config, args, env, user, cwd, hostname,
// annotations, stop signal. Each one maps to one isula create flag (STYLE T8).
import type { ImageRuntimeConfig } from '../types/image-config.ts';
import { invalidArgument } from '../util/errors.ts';
import { parseSignal, signalName, STOP_SIGNAL_ANNOTATION } from '../util/signals.ts';

export { STOP_SIGNAL_ANNOTATION, stopSignalOf } from '../util/signals.ts';
import type { Spec, SpecContext, SpecOpt } from './types.ts';
import { parseGroup, resolveUser, supplementaryGids } from './user.ts';

function envKey(kv: string): string {
  const i = kv.indexOf('=');
  return i < 0 ? kv : kv.slice(0, i);
}

/** Later entries override earlier ones with the same key; order of first appearance is kept. */
export function mergeEnv(base: string[], over: string[]): string[] {
  const out = [...base];
  for (const kv of over) {
    const k = envKey(kv);
    const i = out.findIndex((e) => envKey(e) === k);
    if (i >= 0) out[i] = kv;
    else out.push(kv);
  }
  return out;
}

function hasEnv(s: Spec, key: string): boolean {
  return s.process.env.some((e) => envKey(e) === key);
}

/**
 * The image's runtime config: Env, Entrypoint+Cmd, WorkingDir, User, StopSignal. Later options
 * (withArgs, withEnv, withUser …) override it. Volumes are not mounts yet: services make them into
 * Mounts (see imageVolumeTargets) and pass them to withMounts.
 */
export function withImageConfig(img: ImageRuntimeConfig | undefined): SpecOpt {
  return (s, ctx) => {
    if (img === undefined) return;
    ctx.image = img;
    if (img.Env) s.process.env = mergeEnv(s.process.env, img.Env);
    s.process.args = [...(img.Entrypoint ?? []), ...(img.Cmd ?? [])];
    if (img.WorkingDir) withWorkdir(img.WorkingDir)(s, ctx);
    if (img.User) withUser(img.User)(s, ctx);
    if (img.StopSignal) withStopSignal(img.StopSignal)(s, ctx);
  };
}

/** Destinations of the image's Volumes, for services to turn into anonymous volumes. */
export function imageVolumeTargets(img: ImageRuntimeConfig | undefined): string[] {
  return Object.keys(img?.Volumes ?? {}).sort();
}

/**
 * Docker's rule: --entrypoint replaces the image entrypoint and drops the image Cmd; an empty
 * entrypoint ([""]) resets it. User args replace the image Cmd.
 */
export function withArgs(opts: { entrypoint?: string[]; cmd?: string[] }): SpecOpt {
  return (s, ctx) => {
    const img = ctx.image;
    let entry = img?.Entrypoint ?? [];
    let cmd = img?.Cmd ?? [];
    if (opts.entrypoint !== undefined) {
      entry = opts.entrypoint.length === 1 && opts.entrypoint[0] === '' ? [] : opts.entrypoint;
      cmd = [];
    }
    if (opts.cmd !== undefined && opts.cmd.length > 0) cmd = opts.cmd;
    const args = [...entry, ...cmd];
    if (args.length === 0) throw invalidArgument('no command specified');
    s.process.args = args;
  };
}

export function withEnv(env: string[]): SpecOpt {
  return (s) => {
    for (const kv of env) if (envKey(kv) === '') throw invalidArgument(`invalid environment variable "${kv}"`);
    s.process.env = mergeEnv(s.process.env, env);
  };
}

export function withUser(user: string): SpecOpt {
  return (s, ctx: SpecContext) => {
    const u = resolveUser(user, ctx.passwd, ctx.group);
    s.process.user = { uid: u.uid, gid: u.gid, username: user };
    const gids = supplementaryGids(u, ctx.group);
    if (gids.length > 0) s.process.user.additionalGids = gids;
  };
}

/** --group-add / CRI supplemental_groups: gids, or group names looked up in the rootfs /etc/group. */
export function withGroupAdd(groups: readonly string[]): SpecOpt {
  return (s, ctx) => {
    const gids = [...(s.process.user.additionalGids ?? [])];
    for (const g of groups) {
      let gid: number | undefined;
      if (/^[0-9]+$/.test(g)) gid = Number(g);
      else gid = parseGroup(ctx.group).find((e) => e.name === g)?.gid;
      if (gid === undefined) throw invalidArgument(`Unable to find group ${g}`);
      if (!gids.includes(gid)) gids.push(gid);
    }
    s.process.user.additionalGids = gids;
  };
}

/** Sets HOME from passwd when nobody set it (docker does this last, after -e and -u). */
export function withHomeEnv(): SpecOpt {
  return (s, ctx) => {
    if (hasEnv(s, 'HOME')) return;
    const name = s.process.user.username ?? String(s.process.user.uid);
    let home = '/';
    try {
      home = resolveUser(name.split(':')[0] ?? name, ctx.passwd, ctx.group).home || '/';
    } catch {
      // numeric uid with no entry: docker falls back to /
    }
    s.process.env.push(`HOME=${home}`);
  };
}

export function withWorkdir(dir: string): SpecOpt {
  return (s) => {
    if (!dir.startsWith('/')) throw invalidArgument(`the working directory "${dir}" is invalid: it needs to be an absolute path`);
    s.process.cwd = dir;
  };
}

const HOSTNAME_RE = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/**
 * The hostname: $HOSTNAME, and the spec's hostname unless `inSpec` is false (a shared UTS
 * namespace, e.g. --net host: the name is the host's and runc refuses to set one there).
 */
export function withHostname(name: string, inSpec = true): SpecOpt {
  return (s) => {
    if (name.length > 255 || !HOSTNAME_RE.test(name)) throw invalidArgument(`invalid hostname "${name}"`);
    if (inSpec) s.hostname = name;
    s.process.env = mergeEnv(s.process.env, [`HOSTNAME=${name}`]);
  };
}

export function withAnnotations(a: Record<string, string>): SpecOpt {
  return (s) => {
    Object.assign(s.annotations, a);
  };
}

export function withStopSignal(sig: string): SpecOpt {
  return (s) => {
    const n = parseSignal(sig);
    if (n === undefined) throw invalidArgument(`Invalid signal: ${sig}`);
    s.annotations[STOP_SIGNAL_ANNOTATION] = signalName(n);
  };
}

/** -t: the process gets a terminal; TERM=xterm unless set (docker and iSulad do the same). */
export function withTerminal(): SpecOpt {
  return (s) => {
    s.process.terminal = true;
    if (!hasEnv(s, 'TERM')) s.process.env.push('TERM=xterm');
  };
}

export function withRootfs(path: string, readonly = false): SpecOpt {
  return (s) => {
    s.root = { path, readonly };
  };
}

export function withReadonlyRootfs(ro: boolean): SpecOpt {
  return (s) => {
    s.root.readonly = ro;
  };
}
