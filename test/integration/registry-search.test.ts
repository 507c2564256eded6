// Search: the real distribution 2.8 has no v1 search endpoint (clean not-implemented error); a
// tiny v1 search server written here checks the request, limits and filters.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { RegistryClient } from '../../src/image/registry/client.ts';
import { parseSearchFilters, searchRegistry } from '../../src/image/registry/search.ts';
import { startRegistry } from '../helpers/registry.ts';
import type { Registry } from '../helpers/registry.ts';

const clientFor = (host: string) => new RegistryClient({ endpoint: { host, url: new URL(`http://${host}/`), tls: {}, insecure: true } });

describe('search', () => {
  let reg: Registry;
  let v1: http.Server;
  let v1Host: string;
  const seen: URL[] = [];

  before(async () => {
    reg = await startRegistry();
    const results = [
      { name: 'busybox', description: 'Busybox base image.', star_count: 3000, is_official: true, is_automated: false },
      { name: 'someone/busybox', description: 'A fork', star_count: 3, is_official: false, is_automated: true },
      { name: 'other/busybox-tools', description: '', star_count: 40, is_official: false, is_automated: false },
    ];
    v1 = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/v2/') return void res.writeHead(200, { 'Docker-Distribution-Api-Version': 'registry/2.0' }).end('{}');
      if (u.pathname !== '/v1/search') return void res.writeHead(404).end();
      seen.push(u);
      const q = u.searchParams.get('q') ?? '';
      const n = Number(u.searchParams.get('n') ?? '25');
      const hits = results.filter((r) => r.name.includes(q)).slice(0, n);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ num_results: hits.length, query: q, results: hits }));
    });
    await new Promise<void>((r) => v1.listen(0, '127.0.0.1', r));
    v1Host = `127.0.0.1:${(v1.address() as AddressInfo).port}`;
  });

  after(async () => {
    await reg?.stop();
    v1?.closeAllConnections();
    await new Promise<void>((r) => v1.close(() => r()));
  });

  test('distribution 2.8 has no v1 search: not-implemented, said plainly', async () => {
    const c = clientFor(reg.host);
    await assert.rejects(searchRegistry(c, 'busybox'), (e: Error & { kind?: string }) => e.kind === 'not-implemented' && /does not offer search/.test(e.message));
    c.close();
  });

  test('v1 search: term and limit sent, results mapped and filtered', async () => {
    const c = clientFor(v1Host);
    const all = await searchRegistry(c, 'busybox', { limit: 10 });
    assert.deepEqual(all.map((r) => r.name), ['busybox', 'someone/busybox', 'other/busybox-tools']);
    assert.equal(seen.at(-1)?.searchParams.get('n'), '10');
    assert.equal(seen.at(-1)?.searchParams.get('q'), 'busybox');
    assert.deepEqual((await searchRegistry(c, 'busybox', { filter: parseSearchFilters(['stars=10']) })).map((r) => r.name), ['busybox', 'other/busybox-tools']);
    assert.deepEqual((await searchRegistry(c, 'busybox', { filter: parseSearchFilters(['is-official=true']) })).map((r) => r.name), ['busybox']);
    assert.deepEqual((await searchRegistry(c, 'busybox', { filter: parseSearchFilters(['is-automated=true']) })).map((r) => r.name), ['someone/busybox']);
    assert.equal((await searchRegistry(c, 'busybox', { limit: 1 })).length, 1);
    await assert.rejects(searchRegistry(c, 'busybox', { limit: 101 }), /between 1 and 100/);
    assert.throws(() => parseSearchFilters(['color=red']), /invalid filter/);
    c.close();
  });
});
