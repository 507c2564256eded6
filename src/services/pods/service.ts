// The pod service: the use-cases behind runtime.v1.RuntimeService. A pod sandbox is a pause
// container (plus its network); CRI containers are ordinary engine containers that join the
// sandbox's namespaces. Handlers in src/api/cri only translate to these calls.
import { readdir } from 'node:fs/promises';
import { errnoCode } from '../../util/errors.ts';

export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

export interface PodServiceConfig {
  /** engine version (build info) */
  version: string;
  cniConfDir: string;
  systemdCgroup: boolean;
}

export class PodService {
  readonly #cfg: PodServiceConfig;
  #podCidr = '';

  constructor(cfg: PodServiceConfig) {
    this.#cfg = cfg;
  }

  version(): { name: string; version: string } {
    return { name: 'iSulad', version: this.#cfg.version };
  }

  cgroupDriver(): 'systemd' | 'cgroupfs' {
    return this.#cfg.systemdCgroup ? 'systemd' : 'cgroupfs';
  }

  updateRuntimeConfig(c: { podCidr: string }): void {
    if (c.podCidr !== '') this.#podCidr = c.podCidr;
  }

  /** RuntimeReady always (the daemon answers); NetworkReady once a CNI network config exists. */
  async status(): Promise<{ conditions: RuntimeCondition[]; info: Record<string, unknown> }> {
    const runtime: RuntimeCondition = { type: 'RuntimeReady', status: true, reason: '', message: '' };
    const conf = await cniConfigs(this.#cfg.cniConfDir);
    const network: RuntimeCondition = conf.length > 0
      ? { type: 'NetworkReady', status: true, reason: '', message: '' }
      : { type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: `Network plugin returns error: cni config uninitialized (no network config in ${this.#cfg.cniConfDir})` };
    return { conditions: [runtime, network], info: { cniConfDir: this.#cfg.cniConfDir, cniConfigs: conf, podCidr: this.#podCidr, cgroupDriver: this.cgroupDriver() } };
  }
}

async function cniConfigs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => /\.(conf|conflist|json)$/.test(f)).sort();
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
}
