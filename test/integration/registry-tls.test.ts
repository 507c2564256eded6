// TLS: a docker-registry serving https with a test CA. Without the CA the certificate is refused;
// with ca.crt in <certs.d>/<host>/ it verifies; insecure-registries skips verification; a registry
// demanding client certificates accepts the client.cert/client.key pair from the same directory.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BlobDownloader } from '../../src/image/registry/blob-download.ts';
import { RegistryClient } from '../../src/image/registry/client.ts';
import { resolveReference } from '../../src/image/registry/endpoints.ts';
import type { RegistrySettings } from '../../src/image/registry/endpoints.ts';
import { parsePlatform } from '../../src/image/registry/platform.ts';
import { Puller } from '../../src/image/registry/pull-image.ts';
import { rootfsFixture } from '../fixtures/images/make.ts';
import { makeTlsFiles, skopeoCopy, startRegistry } from '../helpers/registry.ts';
import type { Registry, TlsFiles } from '../helpers/registry.ts';
import { RecordingLayerStore } from '../helpers/registry-layers.ts';

describe('registry over TLS', () => {
  let tls: TlsFiles;
  let reg: Registry;
  let mtls: Registry;
  let tmp: string;
  let withCa: string; // certs.d holding only the CA
  let withClient: string; // certs.d holding the CA and a client certificate
  let empty: string;

  const certsFor = (root: string, host: string, files: Array<[string, string]>) => {
    mkdirSync(join(root, host), { recursive: true });
    for (const [src, name] of files) copyFileSync(src, join(root, host, name));
  };

  before(async () => {
    tls = makeTlsFiles();
    tmp = mkdtempSync(join(tmpdir(), 'isula-tlstest-'));
    reg = await startRegistry({ tls });
    mtls = await startRegistry({ tls, requireClientCert: true });
    withCa = join(tmp, 'ca');
    withClient = join(tmp, 'client');
    empty = join(tmp, 'empty');
    mkdirSync(empty);
    for (const h of [reg.host, mtls.host]) {
      certsFor(withCa, h, [[tls.caCert, 'ca.crt']]);
      certsFor(withClient, h, [[tls.caCert, 'ca.crt'], [tls.clientCert, 'client.cert'], [tls.clientKey, 'client.key']]);
    }
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-amd64.oci.tar')}`, `docker://${reg.host}/busybox:latest`);
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-amd64.oci.tar')}`, `docker://${mtls.host}/busybox:latest`, { certDir: join(withClient, mtls.host) });
  });

  after(async () => {
    await reg?.stop();
    await mtls?.stop();
    rmSync(tmp, { recursive: true, force: true });
    rmSync(tls.dir, { recursive: true, force: true });
  });

  async function pullVia(ref: string, settings: RegistrySettings, name: string) {
    const r = resolveReference(ref, settings);
    const source = r.sources[0];
    assert.ok(source);
    const client = new RegistryClient({ endpoint: source.endpoint });
    const puller = new Puller({ layers: new RecordingLayerStore(), downloader: new BlobDownloader({ dir: join(tmp, name) }) });
    try {
      return await puller.pull(client, source.remoteRepo, r.reference, { platform: parsePlatform('linux/amd64') });
    } finally {
      client.close();
    }
  }

  test('an unknown CA is refused', async () => {
    await assert.rejects(pullVia(`${reg.host}/busybox`, { mirrors: [], insecure: [], certsDir: empty }, 'noca'), (e: Error & { kind?: string }) => {
      assert.equal(e.kind, 'unavailable');
      assert.match(e.message, /certificate/i);
      return true;
    });
  });

  test('ca.crt in certs.d/<host>/ makes it verify', async () => {
    const img = await pullVia(`${reg.host}/busybox`, { mirrors: [], insecure: [], certsDir: withCa }, 'ca');
    assert.equal(img.config.architecture, 'amd64');
  });

  test('insecure-registries: https without verification', async () => {
    const img = await pullVia(`${reg.host}/busybox`, { mirrors: [], insecure: [reg.host], certsDir: empty }, 'insecure');
    assert.equal(img.layers.length, 1);
  });

  test('client certificates from certs.d/<host>/ (client.cert + client.key)', async () => {
    await assert.rejects(pullVia(`${mtls.host}/busybox`, { mirrors: [], insecure: [], certsDir: withCa }, 'mtls-no'));
    const img = await pullVia(`${mtls.host}/busybox`, { mirrors: [], insecure: [], certsDir: withClient }, 'mtls');
    assert.equal(img.layers.length, 1);
  });
});
