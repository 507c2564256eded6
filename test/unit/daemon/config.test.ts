import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAEMON_FLAGS, loadDaemonConfig, parseDaemonJson, validateKey } from '../../../src/daemon/config.ts';
import { parseUlimit as parseUlimitFlag } from '../../../src/util/ulimit.ts';
import { DAEMON_JSON_KEYS } from '../../../src/daemon/config-keys.ts';
import { parseFlags } from '../../../src/cli/flags.ts';
import { EngineError } from '../../../src/util/errors.ts';

const noFile = async (p: string) => {
  throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
};
const load = (argv: string[], files: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) =>
  loadDaemonConfig({
    parsed: parseFlags(DAEMON_FLAGS, argv),
    env,
    readFile: async (p) => (p in files ? (files[p] as string) : noFile(p)),
  });
const isInvalid = (re: RegExp) => (e: unknown) => e instanceof EngineError && e.kind === 'invalid-argument' && re.test(e.message);

test('defaults are iSulad\'s paths with lcr as default runtime', async () => {
  const c = await load([]);
  assert.deepEqual(c.hosts, ['unix:///var/run/isulad.sock']);
  assert.equal(c.graph, '/var/lib/isulad');
  assert.equal(c.state, '/var/run/isulad');
  assert.equal(c.pidfile, '/var/run/isulad.pid');
  assert.equal(c.defaultRuntime, 'lcr');
  assert.equal(c.group, 'isula');
  assert.equal(c.logLevel, 'INFO');
  assert.equal(c.logFile.dir, '/var/lib/isulad');
  assert.equal(c.startTimeout, 120_000);
  assert.equal(c.containerLog.driver, 'json-file');
});

test('daemon.json beats defaults, flags beat daemon.json', async () => {
  const files = { '/etc/isulad/daemon.json': JSON.stringify({ graph: '/data/isulad', 'log-level': 'debug', 'registry-mirrors': ['m1'] }) };
  const c = await load(['-g', '/flag/root', '--registry-mirrors', 'm2', '--registry-mirrors', 'm3'], files);
  assert.equal(c.graph, '/flag/root');
  assert.equal(c.logLevel, 'DEBUG');
  assert.deepEqual(c.registryMirrors, ['m2', 'm3']);
});

test('repeated hosts are bound once', async () => {
  const c = await load(['-H', 'unix:///a.sock', '-H', 'unix:///a.sock', '-H', 'unix:///b.sock']);
  assert.deepEqual(c.hosts, ['unix:///a.sock', 'unix:///b.sock']);
});

test('--config-file points elsewhere and must exist', async () => {
  const c = await load(['--config-file', '/x.json'], { '/x.json': '{"state": "/s"}' });
  assert.equal(c.state, '/s');
  await assert.rejects(load(['--config-file', '/missing.json']), isInvalid(/\/missing\.json/));
});

test('container-log: max-size and max-file are parsed once, at start', async () => {
  const files = { '/etc/isulad/daemon.json': JSON.stringify({ 'container-log': { driver: 'json-file', opts: { 'max-size': '10m', 'max-file': '3' } } }) };
  const c = await load([], files);
  assert.equal(c.containerLog.maxSize, 10 * 1024 * 1024);
  assert.equal(c.containerLog.maxFile, 3);
});

test('container-log: a flag driver keeps daemon.json opts', async () => {
  const files = { '/etc/isulad/daemon.json': JSON.stringify({ 'container-log': { driver: 'json-file', opts: { 'max-size': '10m' } } }) };
  const c = await load(['--container-log-driver', 'syslog'], files);
  assert.deepEqual(c.containerLog, { driver: 'syslog', opts: { 'max-size': '10m' }, maxSize: 10 * 1024 * 1024 });
});

test('TLS flags fill tls-config; --tlsverify enables TLS', async () => {
  const c = await load(['--tlsverify', '--tlscacert', '/c/ca', '--tlscert', '/c/cert', '--tlskey', '/c/key']);
  assert.deepEqual(c.tls, { enabled: true, verify: true, files: { ca: '/c/ca', cert: '/c/cert', key: '/c/key' } });
  const d = await load([], {}, { ISULAD_CERT_PATH: '/certs' });
  assert.equal(d.tls.files.ca, '/certs/ca.pem');
  assert.equal(d.tls.enabled, false);
});

test('proxies come from the environment', async () => {
  const c = await load([], {}, { https_proxy: 'http://p:3128', NO_PROXY: 'localhost' });
  assert.equal(c.env.httpsProxy, 'http://p:3128');
  assert.equal(c.env.noProxy, 'localhost');
});

test('--default-ulimit', async () => {
  const c = await load(['--default-ulimit', 'nofile=1024:2048', '--default-ulimit', 'nproc=100']);
  assert.deepEqual(c.defaultUlimits, { nofile: { Name: 'nofile', Soft: 1024, Hard: 2048 }, nproc: { Name: 'nproc', Soft: 100, Hard: 100 } });
  // with daemon.json's default-ulimits: merged per type, a flag's type winning
  const both = await load(['--default-ulimit', 'nofile=10:20'], {
    '/etc/isulad/daemon.json': JSON.stringify({ 'default-ulimits': { nofile: { Name: 'nofile', Soft: 1, Hard: 2 }, core: { Name: 'core', Soft: 0, Hard: 0 } } }),
  });
  assert.deepEqual(both.defaultUlimits, { nofile: { Name: 'nofile', Soft: 10, Hard: 20 }, core: { Name: 'core', Soft: 0, Hard: 0 } });
  assert.throws(() => parseUlimitFlag('bogus=1'), /Invalid ulimit type: bogus/);
  assert.throws(() => parseUlimitFlag('nofile=10:5'), /soft limit/);
});

const bad: Array<{ json: Record<string, unknown>; re: RegExp }> = [
  { json: { 'no-such-key': 1 }, re: /unknown key "no-such-key"/ },
  { json: { graph: 1 }, re: /"graph": must be a string/ },
  { json: { graph: 'relative/path' }, re: /"graph": must be an absolute path/ },
  { json: { hosts: 'unix:///x' }, re: /"hosts": must be a list of strings/ },
  { json: { hosts: ['http://x'] }, re: /"hosts": invalid host "http:\/\/x"/ },
  { json: { hosts: [] }, re: /"hosts": at least one host/ },
  { json: { 'log-level': 'LOUD' }, re: /"log-level": must be one of/ },
  { json: { 'log-driver': 'syslog' }, re: /"log-driver"/ },
  { json: { 'log-opts': { 'max-size': 'huge' } }, re: /invalid max-size/ },
  { json: { 'log-opts': { colour: 'red' } }, re: /unknown option "colour"/ },
  { json: { 'start-timeout': '2 minutes' }, re: /"start-timeout": must be a duration/ },
  { json: { 'websocket-server-listening-port': 70000 }, re: /port number/ },
  { json: { 'systemd-cgroup': 'yes' }, re: /"systemd-cgroup": must be true or false/ },
  { json: { runtimes: { runc: { args: [] } } }, re: /runtime "runc" needs a string "path"/ },
  { json: { runtimes: { runc: { path: '/r', extra: 1 } } }, re: /unknown key "extra"/ },
  { json: { 'default-ulimits': { nofile: { Name: 'nofile', Soft: 2, Hard: 1 } } }, re: /soft limit/ },
  { json: { 'default-ulimits': { nofile: { Name: 'nproc', Soft: 1, Hard: 2 } } }, re: /Ulimit Name "nproc" must same as type "nofile"/ },
  { json: { 'default-ulimits': { nofile: { Soft: 1, Hard: 2 } } }, re: /Ulimit Name "" must same as type "nofile"/ },
  { json: { 'native.umask': 'open' }, re: /"native.umask"/ },
  { json: { 'tls-config': { CAFile: 1 } }, re: /"CAFile" must be a string/ },
  { json: { 'container-log': { driver: 'json-file', size: 1 } }, re: /unknown key "size"/ },
  { json: { 'container-log': { driver: 'json-file', opts: { 'max-size': '10 lightyears' } } }, re: /"container-log": invalid max-size/ },
  { json: { 'container-log': { driver: 'json-file', opts: { 'max-file': '0' } } }, re: /"container-log": invalid max-file/ },
];
for (const c of bad) {
  test(`refused: ${JSON.stringify(c.json)}`, async () => {
    await assert.rejects(load([], { '/etc/isulad/daemon.json': JSON.stringify(c.json) }), isInvalid(c.re));
  });
}

test('registry-endpoints must map hosts to lists of endpoints', () => {
  assert.throws(() => validateKey('registry-endpoints', { 'registry.k8s.io': 'http://x' }), isInvalid(/registry-endpoints/));
  assert.deepEqual(validateKey('registry-endpoints', { h: ['http://x'] }), { h: ['http://x'] });
});

test('malformed JSON and non-object documents are refused', () => {
  assert.throws(() => parseDaemonJson('{', '/d.json'), isInvalid(/parse daemon configuration \/d\.json/));
  assert.throws(() => parseDaemonJson('[]', '/d.json'), isInvalid(/top level must be an object/));
});

test('every §4.2 key is accepted with a value of its type', () => {
  const sample: Record<string, unknown> = {
    string: 'x', bool: true, int: 1, port: 1, duration: '1s', 'string-list': ['a'], 'int-list': [1],
    'string-map': { a: 'b' }, 'string-list-map': { 'registry.k8s.io': ['http://127.0.0.1:5000'] }, object: {}, 'log-level': 'info', 'log-driver': 'file', umask: 'normal',
    runtimes: { r: { path: '/r', 'runtime-args': ['--x'] } }, 'container-log': { driver: 'json-file' },
    'tls-config': { CAFile: '/c' }, ulimits: { nofile: { Name: 'nofile', Hard: 2, Soft: 1 } },
  };
  for (const [key, type] of Object.entries(DAEMON_JSON_KEYS)) {
    assert.doesNotThrow(() => validateKey(key, sample[type]), `key ${key} (${type})`);
  }
});

test('--userns-remap / daemon.json userns-remap: HOSTUID:HOSTGID:SIZE, the graph becomes <graph>/HOSTUID.HOSTGID (the log stays in <graph>); bad values refused', async () => {
  const c = await load(['--userns-remap', '100000:100000:65535', '-g', '/data/isulad']);
  assert.deepEqual(c.usernsRemap, { uid: 100000, gid: 100000, size: 65535 });
  assert.equal(c.graph, '/data/isulad/100000.100000');
  assert.equal(c.logFile.dir, '/data/isulad');
  const f = await load(['--config-file', '/x.json'], { '/x.json': JSON.stringify({ 'userns-remap': '200000:300000:1000' }) });
  assert.equal(f.graph, '/var/lib/isulad/200000.300000');
  assert.equal((await load([])).usernsRemap, undefined);
  for (const bad of ['x', '1:2', '100000:100000:0', '100000:100000:65536', '0:0:10', '-1:2:3']) {
    await assert.rejects(load(['--userns-remap', bad]), isInvalid(/userns-remap/), bad);
  }
});
