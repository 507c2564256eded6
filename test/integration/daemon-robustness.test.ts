// A daemon on a badly behaved network: garbage bytes, truncated HTTP/2, oversized messages must
// cost the sender an error, never the daemon. TCP is served only with TLS and client certs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { runIsula, runIsulad, startDaemon, type Daemon } from '../helpers/daemon.ts';

/** Writes `data` to the socket, waits for the daemon to hang up or `ms` to pass, closes. */
function sendRaw(path: string, data: Buffer, ms = 500): Promise<void> {
  return new Promise((resolve) => {
    const s = connect(path);
    const done = () => {
      s.destroy();
      resolve();
    };
    s.on('error', done);
    s.on('close', done);
    s.on('connect', () => {
      s.write(data);
      setTimeout(done, ms).unref();
    });
  });
}

describe('garbage on the socket', () => {
  let d: Daemon;
  before(async () => {
    d = await startDaemon();
  });
  after(async () => {
    await d?.stop();
  });

  const stillServing = async () => {
    assert.notEqual(d.pid, undefined, `daemon died:\n${d.log()}`);
    const r = await d.isula(['version']);
    assert.equal(r.code, 0, `${r.stderr}\n${d.log()}`);
  };

  test('random bytes', async () => {
    await sendRaw(d.sock, randomBytes(256 * 1024));
    await stillServing();
  });

  test('a truncated HTTP/2 preface', async () => {
    await sendRaw(d.sock, Buffer.from('PRI * HTTP/2.0\r\n\r\nSM'));
    await stillServing();
  });

  test('a valid preface followed by a frame header announcing 16 MiB and nothing else', async () => {
    const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    const settings = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);
    const bogus = Buffer.from([0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1]);
    await sendRaw(d.sock, Buffer.concat([preface, settings, bogus, randomBytes(1024)]));
    await stillServing();
  });

  test('many connections opened and dropped at once', async () => {
    await Promise.all(Array.from({ length: 50 }, () => sendRaw(d.sock, randomBytes(64), 50)));
    await stillServing();
  });

  test('a gRPC message over the size limit is refused with RESOURCE_EXHAUSTED', async () => {
    const client = new grpc.Client(`unix://${d.sock}`, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': -1,
    });
    try {
      const err = await new Promise<grpc.ServiceError | null>((resolve) => {
        client.makeUnaryRequest(
          '/containers.ContainerService/Create',
          (b: Buffer) => b,
          (b: Buffer) => b,
          randomBytes(20 * 1024 * 1024),
          (e) => resolve(e),
        );
      });
      assert.ok(err, 'the oversized call must fail');
      assert.equal(err.code, grpc.status.RESOURCE_EXHAUSTED);
    } finally {
      client.close();
    }
    await stillServing();
  });

  test('an undecodable request body is an error for the caller only', async () => {
    const client = new grpc.Client(`unix://${d.sock}`, grpc.credentials.createInsecure());
    try {
      const err = await new Promise<grpc.ServiceError | null>((resolve) => {
        client.makeUnaryRequest(
          '/containers.ContainerService/Version',
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]),
          (e) => resolve(e),
        );
      });
      assert.ok(err);
      assert.notEqual(err.code, grpc.status.OK);
    } finally {
      client.close();
    }
    await stillServing();
  });

  test('an RPC nobody implements yet answers UNIMPLEMENTED', async () => {
    const client = new grpc.Client(`unix://${d.sock}`, grpc.credentials.createInsecure());
    try {
      const err = await new Promise<grpc.ServiceError | null>((resolve) => {
        client.makeUnaryRequest('/containers.ContainerService/NoSuchRpc', (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), (e) => resolve(e));
      });
      assert.equal(err?.code, grpc.status.UNIMPLEMENTED);
    } finally {
      client.close();
    }
    await stillServing();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

describe('tcp with TLS and client certificates', () => {
  let d: Daemon;
  let certs: string;
  let tcp: string;
  before(async () => {
    certs = await mkdtemp(join(tmpdir(), 'isulad-tls-'));
    const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: certs, stdio: 'pipe' });
    ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=isulad-test-ca');
    await writeFile(join(certs, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    await writeFile(join(certs, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
    for (const who of ['server', 'client']) {
      ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}-key.pem`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'server' ? 'localhost' : 'isula-client'}`);
      ossl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${who}.pem`, '-days', '2', '-extfile', `${who}.ext`);
    }
    // a client certificate from a CA the daemon does not trust
    ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'rogue-key.pem', '-out', 'rogue.pem', '-days', '2', '-subj', '/CN=rogue');
    const port = await freePort();
    tcp = `tcp://127.0.0.1:${port}`;
    d = await startDaemon({ config: {} , flags: [] });
    await d.restart({
      flags: [
        '-H', d.host, '-H', tcp, '--tlsverify',
        '--tlscacert', join(certs, 'ca.pem'), '--tlscert', join(certs, 'server.pem'), '--tlskey', join(certs, 'server-key.pem'),
      ],
    });
  });
  after(async () => {
    await d?.stop();
    if (certs) await rm(certs, { recursive: true, force: true });
  });

  test('a client with a certificate signed by the CA is served', async () => {
    const r = await runIsula([
      '-H', tcp, '--tlsverify', '--tlscacert', join(certs, 'ca.pem'),
      '--tlscert', join(certs, 'client.pem'), '--tlskey', join(certs, 'client-key.pem'), 'version',
    ]);
    assert.equal(r.code, 0, `${r.stderr}\n${d.log()}`);
    assert.match(r.stdout, /Server:/);
    // nothing else on stderr: no warning from how the CLI loads tls (src/api/h2-client.ts)
    assert.equal(r.stderr, '');
  });

  test('--tls without --tlsverify encrypts without checking the daemon\'s certificate', async () => {
    const r = await runIsula([
      '-H', tcp, '--tls', '--tlscert', join(certs, 'client.pem'), '--tlskey', join(certs, 'client-key.pem'), 'version',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Server:/);
  });

  test('--tlsverify checks the daemon\'s certificate against the CA', async () => {
    const r = await runIsula([
      '-H', tcp, '--tlsverify', '--tlscacert', join(certs, 'rogue.pem'),
      '--tlscert', join(certs, 'client.pem'), '--tlskey', join(certs, 'client-key.pem'), 'version',
    ]);
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stdout, /Server:/);
  });

  test('a client without a certificate is refused', async () => {
    const r = await runIsula(['-H', tcp, '--tlsverify', '--tlscacert', join(certs, 'ca.pem'), 'version'], {
      env: { HOME: certs },
    });
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stdout, /Server:/);
    assert.match(r.stderr, /Can not connect with server\.Is the iSulad daemon running on the host\?/);
  });

  test('a client with a certificate from another CA is refused', async () => {
    const r = await runIsula([
      '-H', tcp, '--tlsverify', '--tlscacert', join(certs, 'ca.pem'),
      '--tlscert', join(certs, 'rogue.pem'), '--tlskey', join(certs, 'rogue-key.pem'), 'version',
    ]);
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stdout, /Server:/);
  });

  test('plain text on the TLS port does not hurt the daemon', async () => {
    await new Promise<void>((resolve) => {
      const [host, port] = tcp.slice('tcp://'.length).split(':');
      const s = connect(Number(port), host);
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      s.on('connect', () => {
        s.write(randomBytes(4096));
        setTimeout(() => s.destroy(), 200).unref();
      });
    });
    assert.equal((await d.isula(['version'])).code, 0);
  });

  test('a tcp host without TLS is refused at start', async () => {
    const port = await freePort();
    const r = await runIsulad(['--config-file', d.configFile, '-g', `${certs}/r2`, '-S', `${certs}/s2`, '-p', `${certs}/p2`,
      '-H', `tcp://127.0.0.1:${port}`, '--log-driver', 'stdout']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /tcp hosts need TLS/);
  });
});
