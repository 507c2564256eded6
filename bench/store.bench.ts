// The CBOR state store: bytes per container record (CBOR frame vs compact JSON vs iSulad's pretty
// config.v2.json + hostconfig.json), bytes written to disk per 1000 state updates, and put rates
// with fsync (sequential and 20 in parallel). Run with Node 24 (make bench, or directly with
// CBOR_NATIVE_ACCELERATION_DISABLED=true). Rates depend on the disk and on the load of a shared
// machine; byte counts do not.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/index.ts';
import type { LogStateStore } from '../src/store/index.ts';

const hex = (n: number, seed: string) => (seed.repeat(64).slice(0, 64) + n.toString(16)).slice(-64);

/** One container as iSulad keeps it, split the way it writes it: config.v2.json and hostconfig.json. */
function containerFiles(n: number) {
  const id = hex(n, 'a3f1c9e07b42d85e');
  const imageId = hex(7, 'e1b0d2c4f6a8');
  const root = `/var/lib/isulad/engines/lcr/${id}`;
  const state = {
    Dead: false, Error: '', ExitCode: 0, FinishedAt: '0001-01-01T00:00:00Z', OOMKilled: false, Paused: false,
    Pid: 41234, PPid: 41230, StartTime: 5298431, PStartTime: 5298429, RemovalInprogress: false,
    Restarting: false, Running: true, StartedAt: '2026-11-27T19:03:11.482913302Z', Starting: false,
    RestartCount: 0, HasBeenManuallyStopped: false,
  };
  const configV2 = {
    CommonConfig: {
      Path: 'sh', Args: ['-c', 'httpd -f -p 8080 -h /www'],
      Config: {
        Hostname: id.slice(0, 12), Domainname: '', User: '', AttachStdin: false, AttachStdout: false, AttachStderr: false,
        ExposedPorts: { '8080/tcp': {} }, Tty: false, OpenStdin: false, StdinOnce: false,
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=' + id.slice(0, 12), 'APP_MODE=production', 'LOG_LEVEL=info'],
        Cmd: ['sh', '-c', 'httpd -f -p 8080 -h /www'], Image: 'busybox:latest', ImageRef: `sha256:${imageId}`,
        Volumes: {}, WorkingDir: '/www', Entrypoint: [], NetworkDisabled: false, MacAddress: '',
        Labels: { app: 'web', tier: 'edge', 'io.example.owner': 'ops-team' }, LogDriver: 'json-file',
        Annotations: { 'log.console.file': `${root}/console.log`, 'log.console.filesize': '30KB', 'log.console.filerotate': '7', 'native.umask': 'secure' },
        StopSignal: 'SIGTERM',
      },
      Created: '2026-11-27T19:03:10.998812611Z', Image: 'busybox:latest', ImageType: 'oci',
      HostnamePath: `${root}/hostname`, HostsPath: `${root}/hosts`, ResolvConfPath: `${root}/resolv.conf`,
      ShmPath: `${root}/mounts/shm`, LogPath: `${root}/console.log`, BaseFs: `/var/lib/isulad/storage/overlay/${hex(3, 'b7')}/merged`,
      MountPoints: {}, Name: 'web-frontend', id, MountLabel: '', ProcessLabel: '', SeccompProfile: '', NoNewPrivileges: false,
    },
    Image: imageId,
    State: state,
  };
  const hostConfig = {
    Binds: ['/srv/www:/www:ro'], NetworkMode: 'bridge', PortBindings: { '8080/tcp': [{ HostIp: '', HostPort: '8080' }] },
    RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 }, AutoRemove: false, CapAdd: [], CapDrop: [],
    Dns: [], DnsOptions: [], DnsSearch: [], ExtraHosts: [], GroupAdd: [], IpcMode: '', Cgroup: '', OomScoreAdj: 0,
    PidMode: '', Privileged: false, ReadonlyRootfs: false, SecurityOpt: [], StorageOpt: {}, Tmpfs: {}, UTSMode: '',
    UsernsMode: '', ShmSize: 67108864, Sysctls: {}, Runtime: 'lcr', CPUShares: 0, Memory: 134217728,
    NanoCpus: 500000000, CgroupParent: '', BlkioWeight: 0, CPUPeriod: 0, CPUQuota: 0, CpusetCpus: '', CpusetMems: '',
    Devices: [], KernelMemory: 0, MemoryReservation: 0, MemorySwap: 268435456, MemorySwappiness: -1,
    OomKillDisable: false, PidsLimit: 0, Ulimits: [], Hugetlbs: [], FilesLimit: 0,
    LogConfig: { Type: 'json-file', Config: { 'max-size': '30KB', 'max-file': '7' } },
    SystemContainer: false, NsChangeFiles: [], UserRemap: '', AutoRemoveBak: false, HostChannel: null,
    EnvTargetFile: '', ExternalRootfs: '',
  };
  return { id, configV2, hostConfig, state };
}

async function freshStore(): Promise<{ store: LogStateStore; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'store-bench-'));
  const store = await openStore(dir);
  return { store, done: async () => (await store.close(), await rm(dir, { recursive: true, force: true })) };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const table = (rows: Array<[string, string]>) => {
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
};

async function recordSizes(): Promise<void> {
  const c = containerFiles(1);
  const record = { ...c.configV2, HostConfig: c.hostConfig };
  const { store, done } = await freshStore();
  await store.put('container', c.id, record);
  const frame = store.stats().bytesWritten;
  await done();
  const json = Buffer.byteLength(JSON.stringify(record));
  const isulad = Buffer.byteLength(JSON.stringify(c.configV2, null, 4)) + Buffer.byteLength(JSON.stringify(c.hostConfig, null, 4));
  console.log('## bytes per container record (config + hostconfig + state)');
  table([
    ['CBOR log frame (12 B header + op)', `${fmt(frame)} B`],
    ['same data, compact JSON', `${fmt(json)} B  (CBOR = ${((frame / json) * 100).toFixed(0)}%)`],
    ['iSulad files, pretty JSON (config.v2.json + hostconfig.json)', `${fmt(isulad)} B  (CBOR = ${((frame / isulad) * 100).toFixed(0)}%)`],
  ]);
}

async function bytesPerThousandUpdates(isuladConfigV2: number): Promise<void> {
  const c = containerFiles(2);
  const record = { ...c.configV2, HostConfig: c.hostConfig };
  const rows: Array<[string, string]> = [];
  {
    const { store, done } = await freshStore();
    await store.put('container', c.id, record);
    const before = store.stats();
    for (let i = 0; i < 1000; i++) {
      await store.put('container', c.id, { ...record, State: { ...c.state, Pid: 1000 + i, Running: i % 2 === 0 } });
    }
    const s = store.stats();
    rows.push([
      'whole record re-put per update (written as deltas)',
      `${fmt(s.bytesWritten - before.bytesWritten)} B written, ${s.commits - before.commits} fsyncs, ${s.compactions} compactions, log now ${fmt(s.logBytes)} B`,
    ]);
    await done();
  }
  {
    const { store, done } = await freshStore();
    await store.put('container', c.id, record);
    const full = store.stats().bytesWritten;
    rows.push(['the same without deltas (full frame each time)', `${fmt(1000 * full)} B`]);
    await done();
  }
  rows.push(['iSulad: rewrite config.v2.json per update', `${fmt(1000 * isuladConfigV2)} B (file data only, before fs metadata)`]);
  console.log('\n## bytes written to disk per 1000 state updates of one container');
  table(rows);
}

async function putRates(): Promise<void> {
  const c = containerFiles(3);
  const record = { ...c.configV2, HostConfig: c.hostConfig };
  const N = 400;
  const rows: Array<[string, string]> = [];
  {
    const { store, done } = await freshStore();
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await store.put('container', `c${i % 50}`, { ...record, n: i });
    const ms = performance.now() - t0;
    rows.push(['sequential puts (await each)', `${fmt((N / ms) * 1000)} ops/s, ${store.stats().commits} fsyncs for ${N} puts`]);
    await done();
  }
  {
    const { store, done } = await freshStore();
    const t0 = performance.now();
    for (let i = 0; i < N; i += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, k) => store.put('container', `c${(i + k) % 50}`, { ...record, n: i + k })));
    }
    const ms = performance.now() - t0;
    rows.push(['20 parallel puts (Promise.all)', `${fmt((N / ms) * 1000)} ops/s, ${store.stats().commits} fsyncs for ${N} puts`]);
    await done();
  }
  console.log(`\n## put rate with fdatasync, ~2 KB records, ${tmpdir()} (one run; shared machine)`);
  table(rows);
}

async function openLatency(): Promise<void> {
  const rows: Array<[string, string]> = [];
  for (const n of [100, 500]) {
    const dir = await mkdtemp(join(tmpdir(), 'store-bench-'));
    const store = await openStore(dir);
    for (let i = 0; i < n; i += 50) {
      await store.batch(
        Array.from({ length: 50 }, (_, k) => {
          const c = containerFiles(i + k);
          return { op: 'put' as const, kind: 'container' as const, id: c.id, value: { ...c.configV2, HostConfig: c.hostConfig } };
        }),
      );
    }
    await store.compact();
    const logBytes = store.stats().logBytes;
    await store.close();
    const times: number[] = [];
    for (let run = 0; run < 7; run++) {
      const t0 = performance.now();
      const again = await openStore(dir);
      times.push(performance.now() - t0);
      await again.close();
    }
    times.sort((a, b) => a - b);
    rows.push([`${n} containers (log ${fmt(logBytes)} B)`, `${(times[3] ?? 0).toFixed(1)} ms median of 7 opens`]);
    await rm(dir, { recursive: true, force: true });
  }
  console.log('\n## openStore (lock, read, replay) after compaction');
  table(rows);
}

async function main(): Promise<void> {
  process.env.CBOR_NATIVE_ACCELERATION_DISABLED ??= 'true'; // as shipped; read when cbor-x loads
  await recordSizes();
  await bytesPerThousandUpdates(Buffer.byteLength(JSON.stringify(containerFiles(2).configV2, null, 4)));
  await putRates();
  await openLatency();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
