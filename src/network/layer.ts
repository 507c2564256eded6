// The network layer's small API, shared by the container service and the CRI pod service:
//
//   const path = await net.createNetns(id);                     // pinned under <state>/netns/<id>
//   const r = await net.attach(path, id, [{ list }], { portMappings, ip, mac });
//   ...                                                         // r.ip, r.mac, r.gateway, r.attachments
//   await net.detach(path, id);                                 // DEL of every attachment, reverse
//   await net.removeNetns(path);
//
// attach always runs the built-in loopback list first (lo up in the new netns). It is all or
// nothing: when a network fails, the ones attached before it are torn down and the error names
// the network and plugin. detach works from the on-disk cache, so it needs nothing but the id and
// is safe to repeat (after a crash, for a container whose network was removed meanwhile).
import { messageOf } from '../util/errors.ts';
import { log } from '../util/log.ts';
import { CniRunner } from './cni.ts';
import type { CacheEntry, CheckReport } from './cni.ts';
import { loopbackConfList } from './conflist.ts';
import { createNetns, netnsPath, removeNetns } from './netns.ts';
import { attachmentFromResult } from './result.ts';
import type { Attachment, ConfList, PortMapping, RuntimeConfig } from './types.ts';

export interface NetworkLayerOptions {
  binDirs: readonly string[];
  /** persistent dir for the ADD result cache */
  cacheDir: string;
  /** where netns files are pinned (<state>/netns) */
  netnsDir: string;
}

export interface AttachNetwork {
  list: ConfList;
  /** default eth0, eth1, ... in order */
  ifName?: string;
}

export interface AttachOptions {
  /** installed on the first network only (portmap capability) */
  portMappings?: PortMapping[];
  /** static IPv4 for the first network (host-local "ips" capability) */
  ip?: string;
  /** MAC of the first network's interface (tuning "mac" capability) */
  mac?: string;
  bandwidth?: RuntimeConfig['bandwidth'];
  ipRanges?: RuntimeConfig['ipRanges'];
  /** CNI_ARGS for every network (CRI: K8S_POD_NAME, ...) */
  args?: Record<string, string>;
  /** default true */
  loopback?: boolean;
}

export interface AttachResult {
  attachments: Attachment[];
  /** of the first network ('' when none) */
  ip: string;
  prefixLen: number;
  gateway: string;
  /** first global IPv6 of the first network ('' when none) */
  ip6: string;
  prefixLen6: number;
  gateway6: string;
  mac: string;
}

/** One attachment's CHECK verdict. */
export interface AttachmentCheck {
  network: string;
  ifName: string;
  ok: boolean;
  /** false: CHECK does not apply (spec 0.3.x, disableCheck) */
  checked: boolean;
  /** plugins passed over for a known defect of their own (cni.ts knownCheckDefect) */
  skipped: CheckReport['skipped'];
  /** the plugin's error when !ok */
  error?: string;
}

export class NetworkLayer {
  readonly cni: CniRunner;
  readonly netnsDir: string;

  constructor(o: NetworkLayerOptions) {
    this.cni = new CniRunner({ binDirs: o.binDirs, cacheDir: o.cacheDir });
    this.netnsDir = o.netnsDir;
  }

  netnsPath(id: string): string {
    return netnsPath(this.netnsDir, id);
  }

  createNetns(id: string, o: { loopbackUp?: boolean } = {}): Promise<string> {
    return createNetns(this.netnsDir, id, o);
  }

  removeNetns(path: string): Promise<void> {
    return removeNetns(path);
  }

  async attach(netns: string, id: string, networks: readonly AttachNetwork[], o: AttachOptions = {}): Promise<AttachResult> {
    const done: Array<{ name: string; ifName: string }> = [];
    try {
      if (o.loopback !== false) {
        const lo = loopbackConfList();
        await this.cni.add(lo, { containerId: id, netns, ifName: 'lo', ...(o.args ? { args: o.args } : {}) });
        done.push({ name: lo.name, ifName: 'lo' });
      }
      const attachments: Attachment[] = [];
      for (const [i, n] of networks.entries()) {
        const ifName = n.ifName ?? `eth${i}`;
        const rc: RuntimeConfig = {};
        if (i === 0) {
          if (o.portMappings && o.portMappings.length > 0) rc.portMappings = o.portMappings;
          if (o.ip) rc.ips = [o.ip];
          if (o.mac) rc.mac = o.mac;
          if (o.bandwidth) rc.bandwidth = o.bandwidth;
          if (o.ipRanges) rc.ipRanges = o.ipRanges;
        }
        const result = await this.cni.add(n.list, {
          containerId: id, netns, ifName,
          ...(Object.keys(rc).length > 0 ? { runtimeConfig: rc } : {}),
          ...(o.args ? { args: o.args } : {}),
        });
        done.push({ name: n.list.name, ifName });
        attachments.push(attachmentFromResult(n.list.name, ifName, result));
      }
      const first = attachments[0];
      return {
        attachments, ip: first?.ip ?? '', prefixLen: first?.prefixLen ?? 0, gateway: first?.gateway ?? '',
        ip6: first?.ip6 ?? '', prefixLen6: first?.prefixLen6 ?? 0, gateway6: first?.gateway6 ?? '', mac: first?.mac ?? '',
      };
    } catch (err) {
      for (const d of done.reverse()) {
        await this.cni.del(d.name, { containerId: id, netns, ifName: d.ifName })
          .catch((e: unknown) => log.with({ container: id, network: d.name }).warn('detach after a failed attach failed', e));
      }
      throw err;
    }
  }

  /** The cached attachments of `id` (loopback last, so teardown order is the reverse of attach). */
  async attachmentsOf(id: string): Promise<CacheEntry[]> {
    const all = (await this.cni.listCache()).filter((e) => e.containerId === id);
    return all.sort((a, b) => Number(a.ifName === 'lo') - Number(b.ifName === 'lo') || b.ifName.localeCompare(a.ifName, 'en', { numeric: true }));
  }

  /**
   * DEL of every cached attachment of `id` (networks in reverse, loopback last). Every one is
   * tried; the first error is thrown and its cache entry is kept for a retry. `netns` may be gone.
   */
  async detach(netns: string, id: string): Promise<void> {
    let first: unknown;
    for (const e of await this.attachmentsOf(id)) {
      try {
        await this.cni.del(e.networkName, { containerId: id, netns, ifName: e.ifName });
      } catch (err) {
        first ??= err;
      }
    }
    if (first !== undefined) throw first;
  }

  /**
   * CNI CHECK of every cached attachment of `id` (loopback included), as libcni runs it against
   * the cached ADD result. Never throws: each attachment gets its own verdict, so a caller can
   * report a broken network without treating it as fatal.
   */
  async check(netns: string, id: string): Promise<AttachmentCheck[]> {
    const out: AttachmentCheck[] = [];
    for (const e of (await this.attachmentsOf(id)).reverse()) {
      try {
        const r = await this.cni.check(e.networkName, { containerId: id, netns, ifName: e.ifName });
        out.push({ network: e.networkName, ifName: e.ifName, ok: true, checked: r.checked, skipped: r.skipped });
      } catch (err) {
        out.push({ network: e.networkName, ifName: e.ifName, ok: false, checked: true, skipped: [], error: messageOf(err) });
      }
    }
    return out;
  }

  /** Restore: drops cache files a killed daemon was still writing. */
  removeTornCacheWrites(): Promise<void> {
    return this.cni.removeTornWrites();
  }

  /** Ids that hold cached attachments (restore: tear down those no container or pod owns). */
  async attachedIds(): Promise<Set<string>> {
    return new Set((await this.cni.listCache()).map((e) => e.containerId));
  }
}
