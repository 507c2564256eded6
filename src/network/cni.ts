// libcni's list semantics over real plugin binaries: ADD in order with prevResult chained, DEL in
// reverse order (idempotent, tolerant of a gone netns), CHECK; each attachment cached on disk so
// DEL and CHECK get the config, runtimeConfig and result ADD used, even after a daemon restart.
//
// Cache file: <cacheDir>/results/<network>-<containerId>-<ifName>, JSON (kind cniCacheV1, like
// libcni's). It is written BEFORE the first plugin runs (result null), so a crash in the middle of
// an ADD still leaves what the restore needs to DEL it, and again as soon as a plugin reported the
// addresses, so that DEL has them for the plugins keyed on them; it is removed once a DEL succeeded.
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, messageOf, wrap } from '../util/errors.ts';
import { log } from '../util/log.ts';
import { writeFileDurable } from '../util/durable-file.ts';
import { execPlugin, findPlugin, pluginConfig } from './plugin.ts';
import type { CniCommand } from './plugin.ts';
import { normalizeResult, parseResult, resultForVersion } from './result.ts';
import type { CniResult, ConfList, RuntimeConfig, RuntimeTarget } from './types.ts';

export interface CacheEntry {
  kind: 'cniCacheV1';
  containerId: string;
  ifName: string;
  networkName: string;
  netns: string;
  config: ConfList;
  runtimeConfig?: RuntimeConfig;
  cniArgs?: Record<string, string>;
  /** null while the ADD is in flight (or when it failed before any result) */
  result: CniResult | null;
}

export interface CniRunnerOptions {
  /** plugin search path, in order */
  binDirs: readonly string[];
  /** where ADD results are cached (persistent: a DEL after a reboot still needs them) */
  cacheDir: string;
  timeoutMs?: number;
}

const SAFE = /[^a-zA-Z0-9_.-]/g;

export class CniRunner {
  readonly binDirs: readonly string[];
  private readonly resultsDir: string;
  private readonly timeoutMs: number;

  constructor(o: CniRunnerOptions) {
    this.binDirs = o.binDirs;
    this.resultsDir = join(o.cacheDir, 'results');
    this.timeoutMs = o.timeoutMs ?? 60_000;
  }

  cachePath(network: string, containerId: string, ifName: string): string {
    return join(this.resultsDir, `${network}-${containerId}-${ifName}`.replace(SAFE, '_'));
  }

  private async writeCache(e: CacheEntry): Promise<void> {
    await mkdir(this.resultsDir, { recursive: true, mode: 0o700 });
    await writeFileDurable(this.cachePath(e.networkName, e.containerId, e.ifName), Buffer.from(JSON.stringify(e)));
  }

  async readCache(network: string, containerId: string, ifName: string): Promise<CacheEntry | undefined> {
    try {
      const e = JSON.parse(await readFile(this.cachePath(network, containerId, ifName), 'utf8')) as CacheEntry;
      return { ...e, result: e.result ? normalizeResult(e.result) : null };
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return undefined;
      log.with({ network, container: containerId }).warn('unreadable CNI cache entry', err);
      return undefined;
    }
  }

  /**
   * Removes cache writes a killed daemon left half done (`<entry>.tmp`, never renamed over): those
   * older than this process, so a write of this daemon in flight (a restart the restore already
   * scheduled) is left alone.
   */
  async removeTornWrites(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.resultsDir);
    } catch {
      return;
    }
    for (const n of names) {
      if (!n.endsWith('.tmp')) continue;
      const p = join(this.resultsDir, n);
      const st = await stat(p).catch(() => undefined);
      if (st !== undefined && st.mtimeMs < performance.timeOrigin) await rm(p, { force: true });
    }
  }

  /** Every cached attachment (for the restore's garbage collection). */
  async listCache(): Promise<CacheEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.resultsDir);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw err;
    }
    const out: CacheEntry[] = [];
    for (const n of names) {
      if (n.endsWith('.tmp')) continue;
      try {
        const e = JSON.parse(await readFile(join(this.resultsDir, n), 'utf8')) as CacheEntry;
        if (e.kind === 'cniCacheV1') out.push(e);
      } catch {
        /* skip torn or foreign files */
      }
    }
    return out;
  }

  private async invoke(command: CniCommand, list: ConfList, index: number, target: RuntimeTarget, prev: CniResult | undefined): Promise<string> {
    const plugin = list.plugins[index];
    if (!plugin) throw new Error(`plugin ${index} out of range`);
    const path = await findPlugin(plugin.type, this.binDirs);
    const stdin = pluginConfig(list, plugin, target.runtimeConfig, prev ? resultForVersion(prev, list.cniVersion) : undefined);
    return await execPlugin({ command, path, type: plugin.type, target, binDirs: this.binDirs, stdin, timeoutMs: this.timeoutMs });
  }

  /**
   * ADD of the whole list. When a plugin fails, the plugins before it and the failing one get a
   * DEL in reverse order (best effort), the cache entry goes, and the plugin's error is thrown.
   */
  async add(list: ConfList, target: RuntimeTarget): Promise<CniResult> {
    const entry: CacheEntry = {
      kind: 'cniCacheV1', containerId: target.containerId, ifName: target.ifName, networkName: list.name,
      netns: target.netns, config: list, result: null,
      ...(target.runtimeConfig ? { runtimeConfig: target.runtimeConfig } : {}),
      ...(target.args ? { cniArgs: target.args } : {}),
    };
    await this.writeCache(entry);
    let prev: CniResult | undefined;
    let ipsCached = false;
    for (let i = 0; i < list.plugins.length; i++) {
      try {
        prev = parseResult(await this.invoke('ADD', list, i, target, prev), list.plugins[i]?.type);
        // Once a plugin reported the addresses, they are cached before the next plugin runs: a
        // daemon killed in the middle of the chain then DELs with them, and plugins that key their
        // rules on the address (firewall's CNI-FORWARD) can remove what they added.
        if (!ipsCached && prev.ips.length > 0 && i < list.plugins.length - 1) {
          await this.writeCache({ ...entry, result: prev });
          ipsCached = true;
        }
      } catch (err) {
        await this.delPlugins(list, target, i, prev).catch((e: unknown) =>
          log.with({ network: list.name, container: target.containerId }).warn('CNI cleanup after a failed ADD failed', e));
        await rm(this.cachePath(list.name, target.containerId, target.ifName), { force: true });
        throw wrap(err, `network "${list.name}"`);
      }
    }
    const result = prev ?? normalizeResult({});
    await this.writeCache({ ...entry, result });
    return result;
  }

  /** DEL of plugins [0..last] in reverse order; every plugin is tried, the first error is thrown. */
  private async delPlugins(list: ConfList, target: RuntimeTarget, last: number, prev: CniResult | undefined): Promise<void> {
    // spec 0.3.x has no prevResult on DEL
    const prevForDel = list.cniVersion.startsWith('0.3.') ? undefined : prev;
    let first: unknown;
    for (let i = last; i >= 0; i--) {
      try {
        await this.invoke('DEL', list, i, target, prevForDel);
      } catch (err) {
        first ??= err;
      }
    }
    if (first !== undefined) throw first;
  }

  /**
   * DEL of an attachment. The cached config, runtimeConfig and result are used when present (a
   * network removed meanwhile can still be torn down); without a cache entry and without `list`
   * there is nothing to do. Idempotent.
   */
  async del(network: string, target: RuntimeTarget, list?: ConfList): Promise<void> {
    const cached = await this.readCache(network, target.containerId, target.ifName);
    const conf = cached?.config ?? list;
    if (!conf) return;
    const t: RuntimeTarget = {
      ...target,
      ...(target.runtimeConfig ?? cached?.runtimeConfig ? { runtimeConfig: target.runtimeConfig ?? cached?.runtimeConfig } : {}),
      ...(target.args ?? cached?.cniArgs ? { args: target.args ?? cached?.cniArgs } : {}),
    };
    try {
      await this.delPlugins(conf, t, conf.plugins.length - 1, cached?.result ?? undefined);
    } catch (err) {
      throw wrap(err, `network "${network}"`);
    }
    await rm(this.cachePath(network, target.containerId, target.ifName), { force: true });
  }

  /**
   * CHECK against the cached result (spec >= 0.4.0, unless the list disables it), plugin by plugin
   * like libcni. A failure throws the plugin's error, except a known plugin defect (see
   * knownCheckDefect): that plugin is reported in `skipped` and the next ones are still checked.
   */
  async check(network: string, target: RuntimeTarget): Promise<CheckReport> {
    const cached = await this.readCache(network, target.containerId, target.ifName);
    if (!cached?.result) throw wrap(new Error('no cached ADD result'), `check network "${network}"`);
    const conf = cached.config;
    if (conf.disableCheck || conf.cniVersion.startsWith('0.3.')) return { checked: false, skipped: [] };
    const t: RuntimeTarget = {
      ...target,
      ...(cached.runtimeConfig ? { runtimeConfig: cached.runtimeConfig } : {}),
      ...(cached.cniArgs ? { args: cached.cniArgs } : {}),
    };
    const skipped: CheckReport['skipped'] = [];
    for (let i = 0; i < conf.plugins.length; i++) {
      try {
        await this.invoke('CHECK', conf, i, t, cached.result);
      } catch (err) {
        const type = conf.plugins[i]?.type ?? '';
        const reason = knownCheckDefect(type, messageOf(err), cached.result);
        if (reason === undefined) throw wrap(err, `check network "${network}"`);
        skipped.push({ plugin: type, reason });
      }
    }
    return { checked: true, skipped };
  }
}

export interface CheckReport {
  /** false: CHECK does not apply (spec 0.3.x or disableCheck) */
  checked: boolean;
  /** plugins whose CHECK failed for a known defect of the plugin, not of the network */
  skipped: Array<{ plugin: string; reason: string }>;
}

/**
 * A CHECK failure that says nothing about the attachment. portmap before 1.2.0 (Debian 12 ships
 * 1.1.1) checks its IPv4 rules first, then always the IPv6 table (containernetworking/plugins#819):
 * for an IPv4-only attachment it looks for IPv6 chains its ADD never made; for a dual-stack one it
 * looks for the IPv4 rules again in the IPv6 table. Either way its IPv4 rules were found.
 */
export function knownCheckDefect(plugin: string, message: string, result: CniResult): string | undefined {
  if (plugin !== 'portmap' || !/could not check ipv6/i.test(message)) return undefined;
  const hasV6 = result.ips.some((ip) => ip.address.includes(':'));
  if (!hasV6) {
    return 'portmap <1.2 checks IPv6 rules it never made for an IPv4-only attachment (containernetworking/plugins#819); its IPv4 rules were found';
  }
  if (/--to-destination \d+\.\d+\.\d+\.\d+:\d+/.test(message)) {
    return 'portmap <1.2 checks its IPv4 rules again in the IPv6 table of a dual-stack attachment (containernetworking/plugins#819); its IPv4 rules were found';
  }
  return undefined;
}
