// Does an OCI runtime accept this host's cgroup layout? crun 1.8 refuses a "hybrid" layout in
// which cgroup2 still owns a controller (here hugetlb on /sys/fs/cgroup/unified): "cgroups in
// hybrid mode not supported, drop all controllers from cgroupv2", for every create/run. The daemon
// asks once at start, so the runtime is listed as unusable with the runtime's own words instead
// of failing the first container. The probe runs only on such a layout (no cost elsewhere): a
// `run` of a bundle whose rootfs does not exist, which a runtime that accepts the layout refuses
// for the rootfs, and one that does not refuses for the cgroups first.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupLayout } from '../../cgroups/hierarchy.ts';
import { killAndRemoveCgroup } from '../../cgroups/cleanup.ts';

/** Controllers a cgroup2 mount owns next to v1 hierarchies (empty on pure v1 or pure v2). */
export async function hybridV2Controllers(layout: CgroupLayout): Promise<string[]> {
  if (layout.version !== 'v1' || layout.unified === undefined) return [];
  const text = await readFile(join(layout.unified, 'cgroup.controllers'), 'utf8').catch(() => '');
  return text.trim().split(/\s+/).filter((c) => c !== '');
}

/** The refusal as the runtime states it, or undefined when it accepts the layout. */
export function refusalFromStderr(stderr: string): string | undefined {
  const line = stderr.split('\n').map((l) => l.trim()).find((l) => /cgroup/i.test(l) && /not supported|unsupported/i.test(l));
  if (line === undefined) return undefined;
  return line.replace(/^time="[^"]*" level=\w+ msg="(.*)"$/, '$1');
}

export async function probeCgroupRefusal(runtimePath: string, scratchParent: string, layout: CgroupLayout, cgroupParent: string): Promise<string | undefined> {
  const controllers = await hybridV2Controllers(layout);
  if (controllers.length === 0) return undefined;
  await mkdir(scratchParent, { recursive: true });
  const dir = await mkdtemp(join(scratchParent, '.probe-'));
  const id = `isulad-probe-${process.pid}`;
  const cgroupsPath = `/${cgroupParent}/${id}`;
  try {
    const bundle = join(dir, 'bundle');
    await mkdir(bundle);
    const spec = {
      ociVersion: '1.0.2',
      process: { terminal: false, user: { uid: 0, gid: 0 }, args: ['/nonexistent'], cwd: '/' },
      root: { path: join(dir, 'no-rootfs') },
      mounts: [],
      linux: { namespaces: [{ type: 'pid' }, { type: 'mount' }], cgroupsPath },
    };
    await writeFile(join(bundle, 'config.json'), JSON.stringify(spec));
    const stderr = await new Promise<string>((resolve) => {
      const child = spawn(runtimePath, ['--root', join(dir, 'root'), 'run', '--bundle', bundle, id], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
      child.on('error', (e) => resolve(e.message));
      child.on('close', () => resolve(err));
    });
    const refusal = refusalFromStderr(stderr);
    return refusal === undefined ? undefined : `${refusal} (cgroup2 holds ${controllers.join(', ')} beside the v1 hierarchies)`;
  } finally {
    await killAndRemoveCgroup(layout, cgroupsPath).catch(() => undefined);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
