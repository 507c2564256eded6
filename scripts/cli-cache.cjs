// node --random-seed=1 <SEA flags> scripts/cli-cache.cjs WRAPPED_BUNDLE OUT DAEMON_OUT PROTO_DIR
// (DAEMON_OUT: the cache of the top level only, made before anything ran, for the daemon face)
// Writes the V8 code cache of the CLI bundle after running the CLI's common commands in this
// process, so that the cache holds the functions those commands run and not only the ones V8
// compiles eagerly (docs/performance.md "A warm code cache"). The commands talk to a stand-in
// daemon served here over a unix socket: node:http2 answering every gRPC call with a response
// message filled from the proto (every field set, three entries per list), so the CLI decodes
// and prints the way it does against a real daemon. build.mjs runs this with the target's own
// Node and flags and a fixed random seed (see scripts/code-cache.cjs); scripts/sea-main.cjs
// compiles the same file (the bundle inside the CommonJS wrapper, written by build.mjs) and gets
// the cache accepted.
'use strict';
const { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } = require('node:fs');
const http2 = require('node:http2');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const vm = require('node:vm');
const protobuf = require('protobufjs');

const [bundle, out, daemonOut, protoDir] = process.argv.slice(2);
// What most calls of the CLI are (each run once; a cache with more costs every start more to load).
const COMMANDS = [['version'], ['ps', '-a'], ['inspect', 'c1'], ['images']];

const roots = readdirSync(protoDir)
  .filter((f) => f.endsWith('.proto') && f !== 'cri.proto')
  .map((f) => new protobuf.Root().loadSync(join(protoDir, f), { keepCase: true }).resolveAll());

function lookupMethod(service, method) {
  for (const root of roots) {
    const s = root.lookup(service);
    if (s instanceof protobuf.Service && s.methods[method]) return s.methods[method].resolve();
  }
  return undefined;
}

const INSPECT_JSON = JSON.stringify({
  Id: '0123456789abcdef', Name: '/c1', Created: '2026-01-01T00:00:00Z', Image: 'sha256:0123',
  State: { Status: 'running', Running: true, Pid: 1, ExitCode: 0 }, Config: { Image: 'busybox', Cmd: ['true'] },
});

function scalar(field) {
  if (field.resolvedType instanceof protobuf.Enum) {
    const values = Object.values(field.resolvedType.values);
    return values.find((v) => v !== 0) ?? values[0];
  }
  switch (field.type) {
    case 'string': return /json/i.test(field.name) ? INSPECT_JSON : `${field.name}-1`;
    case 'bool': return true;
    case 'bytes': return Buffer.from(field.name);
    case 'double': case 'float': return 1.5;
    case 'int64': case 'uint64': case 'sint64': case 'fixed64': case 'sfixed64': return 946684800;
    default: return 1;
  }
}

function fill(type, depth) {
  const obj = {};
  for (const f of type.fieldsArray) {
    if (f.name === 'cc') obj[f.name] = 0;
    else if (f.name === 'errmsg') obj[f.name] = '';
    else {
      const one = () => (f.resolvedType instanceof protobuf.Type ? (depth < 3 ? fill(f.resolvedType, depth + 1) : {}) : scalar(f));
      if (f.map) obj[f.name] = { key1: one(), key2: one() };
      else if (f.repeated) obj[f.name] = [one(), one(), one()];
      else obj[f.name] = one();
    }
  }
  return obj;
}

function frame(body) {
  const buf = Buffer.alloc(5 + body.length);
  buf.writeUInt32BE(body.length, 1);
  buf.set(body, 5);
  return buf;
}

const dir = mkdtempSync(join(tmpdir(), 'isula-cli-cache-'));
const sock = join(dir, 'daemon.sock');
const server = http2.createServer();
server.on('stream', (stream, headers) => {
  stream.on('data', () => {});
  stream.on('end', () => {
    const [service, method] = String(headers[':path']).slice(1).split('/');
    const m = lookupMethod(service, method);
    const body = m ? m.resolvedResponseType.encode(m.resolvedResponseType.fromObject(fill(m.resolvedResponseType, 0))).finish() : new Uint8Array(0);
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': m ? '0' : '12' }));
    stream.end(frame(body));
  });
});

const fail = (msg) => {
  process.stderr.write(`cli-cache: ${msg}\n`);
  rmSync(dir, { recursive: true, force: true });
  process.reallyExit(1);
};
setTimeout(() => fail('the CLI did not finish within 60 s'), 60_000).unref();

server.listen(sock, async () => {
  const script = new vm.Script(readFileSync(bundle, 'latin1'), { filename: 'isula.cjs' });
  writeFileSync(daemonOut, script.createCachedData());
  const realExit = process.exit;
  for (const cmd of COMMANDS) {
    // The bundle's main() ends in process.exit(code): take that as "this command is done".
    const code = await new Promise((resolve) => {
      process.exit = (c) => resolve(c ?? 0);
      process.argv = [process.execPath, bundle, 'isula', '-H', `unix://${sock}`, ...cmd];
      const mod = { exports: {} };
      script.runInThisContext()(mod.exports, require, mod, bundle, dir);
    });
    process.exitCode = 0;
    if (code !== 0) fail(`isula ${cmd.join(' ')} exited ${code} against the stand-in daemon`);
  }
  process.exit = realExit;
  writeFileSync(out, script.createCachedData());
  rmSync(dir, { recursive: true, force: true });
  process.reallyExit(0);
});
