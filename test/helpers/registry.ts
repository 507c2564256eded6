// Real registries for the registry client's tests: Debian's distribution 2.8 (`docker-registry`)
// on a loopback port the test picks, in one of three setups (open, htpasswd with bcrypt, token
// auth with our own RS256 token server), plus skopeo to push fixture images into it.
//
//   const reg = await startRegistry({ auth: 'htpasswd' });   // or 'none' | { token: ts }
//   reg.host  → "127.0.0.1:41234"      reg.stop() kills only the pid we spawned
//   const ts = await startTokenServer({ users: { alice: 'pw' } });  // before a token registry
//   await skopeoCopy('oci-archive:/path/busybox.oci.tar', `docker://${reg.host}/busybox:latest`, { creds })
//
// Everything lives in a fresh temp dir removed by stop(). Nothing here depends on /work/shared.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSign, randomUUID } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_USER = 'tester';
export const REGISTRY_PASSWORD = 'secret-pass-42';

/** A free loopback port (the kernel picks; there is a small race, acceptable for tests). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

export interface TokenServer {
  url: string;
  service: string;
  issuer: string;
  certPath: string;
  /** tokens issued so far (refresh tests count them) */
  issued: number;
  /** scopes asked for, in order */
  scopes: string[];
  stop(): Promise<void>;
}

/**
 * A Bearer token server for distribution's `auth.token`: checks Basic credentials and returns an
 * RS256 JWT whose header carries the signing certificate (x5c), which the registry trusts through
 * `rootcertbundle`. `expiresIn` is short in refresh tests.
 */
export async function startTokenServer(opts: { users?: Record<string, string>; expiresIn?: number; pullOnly?: boolean } = {}): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'isula-token-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=isula-test-token'], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`openssl: ${gen.stderr}`);
  const key = readFileSync(keyPath);
  const der = Buffer.from(readFileSync(certPath, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64');
  const users = opts.users ?? { [REGISTRY_USER]: REGISTRY_PASSWORD };
  const service = 'isula-test-registry';
  const issuer = 'isula-test-issuer';
  const b64u = (b: string | Buffer) => Buffer.from(b).toString('base64url');
  const state: TokenServer = { url: '', service, issuer, certPath, issued: 0, scopes: [], stop: async () => {} };
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    const auth = req.headers.authorization ?? '';
    const pair = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString() : '';
    const colon = pair.indexOf(':');
    const user = colon > 0 ? pair.slice(0, colon) : '';
    if (!user || users[user] !== pair.slice(colon + 1)) {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"details":"invalid username/password"}');
      return;
    }
    const scopes = u.searchParams.getAll('scope');
    state.scopes.push(...scopes);
    const access = scopes.map((s) => {
      const [type, name, actions] = s.split(':');
      const list = (actions ?? '').split(',').filter((a) => !opts.pullOnly || a === 'pull');
      return { type, name, actions: list };
    });
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = opts.expiresIn ?? 300;
    const header = { typ: 'JWT', alg: 'RS256', x5c: [der] };
    const claims = { iss: issuer, sub: user, aud: u.searchParams.get('service'), exp: now + expiresIn, nbf: now - 10, iat: now, jti: randomUUID(), access };
    const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
    const sig = createSign('RSA-SHA256').update(input).sign(key);
    const token = `${input}.${b64u(sig)}`;
    state.issued++;
    // Half the time "token", half "access_token": the client must take either.
    const body = state.issued % 2 === 0 ? { token, expires_in: expiresIn } : { access_token: token, expires_in: expiresIn, issued_at: new Date().toISOString() };
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  state.stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };
  return state;
}

export interface Registry {
  host: string;
  port: number;
  dir: string;
  logPath: string;
  log(): string;
  stop(): Promise<void>;
}

export type RegistryAuth = 'none' | 'htpasswd' | { token: TokenServer };

export interface TlsFiles {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all made by openssl. */
export function makeTlsFiles(): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), 'isula-tls-'));
  const f = (n: string) => join(dir, n);
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2', '-subj', '/CN=isula-test-ca']);
  writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
  run(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'), '-days', '2', '-extfile', f('server.ext')]);
  writeFileSync(f('client.ext'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('client.key'), '-out', f('client.csr'), '-subj', '/CN=isula-client']);
  run(['x509', '-req', '-in', f('client.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('client.cert'), '-days', '2', '-extfile', f('client.ext')]);
  return { dir, caCert: f('ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key'), clientCert: f('client.cert'), clientKey: f('client.key') };
}

/** Starts docker-registry on a free loopback port; resolves once GET /v2/ answers. */
export async function startRegistry(opts: { auth?: RegistryAuth; tls?: TlsFiles; requireClientCert?: boolean } = {}): Promise<Registry> {
  const auth = opts.auth ?? 'none';
  const dir = mkdtempSync(join(tmpdir(), 'isula-registry-'));
  let authYaml = '';
  if (auth === 'htpasswd') {
    const htpasswd = join(dir, 'htpasswd');
    // -i reads the password from stdin; bcrypt (-B) is the only hash distribution accepts.
    const r = spawnSync('htpasswd', ['-B', '-i', '-c', htpasswd, REGISTRY_USER], { input: REGISTRY_PASSWORD, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`htpasswd: ${r.stderr}`);
    authYaml = `auth:\n  htpasswd:\n    realm: isula-test\n    path: ${htpasswd}\n`;
  } else if (auth !== 'none') {
    const t = auth.token;
    authYaml = `auth:\n  token:\n    realm: ${t.url}\n    service: ${t.service}\n    issuer: ${t.issuer}\n    rootcertbundle: ${t.certPath}\n`;
  }
  let tlsYaml = '';
  if (opts.tls) {
    tlsYaml = `  tls:\n    certificate: ${opts.tls.serverCert}\n    key: ${opts.tls.serverKey}\n`;
    if (opts.requireClientCert) tlsYaml += `    clientcas:\n      - ${opts.tls.caCert}\n`;
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const config = join(dir, 'config.yml');
    writeFileSync(
      config,
      `version: 0.1\nlog:\n  level: warn\n  formatter: text\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\n` +
        `http:\n  addr: 127.0.0.1:${port}\n${tlsYaml}${authYaml}`,
    );
    const logPath = join(dir, `registry-${attempt}.log`);
    const fd = openSync(logPath, 'w');
    const child = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: ['ignore', fd, fd] });
    const up = await waitUp(port, child, opts.tls !== undefined);
    if (!up) {
      await killChild(child);
      continue; // the port was taken meanwhile, or the registry failed: try another port
    }
    return {
      host: `127.0.0.1:${port}`,
      port,
      dir,
      logPath,
      log: () => readFileSync(logPath, 'utf8'),
      stop: async () => {
        await killChild(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('docker-registry did not come up');
}

async function waitUp(port: number, child: ChildProcess, tls = false): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) return false;
    // A TLS registry: the port accepting connections is enough (it may demand a client cert).
    if (tls) {
      const open = await new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      if (open) return true;
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/v2/', timeout: 1000 }, (res) => {
        res.resume();
        // Our registry answers 200 or 401 and names the API version; anything else is someone else.
        resolve(res.headers['docker-distribution-api-version'] === 'registry/2.0');
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

/**
 * skopeo copy into a loopback registry (plain http, so --dest-tls-verify=false). Asynchronous: the
 * token server may live in this very process and must keep answering while skopeo runs.
 */
export async function skopeoCopy(src: string, dest: string, opts: { creds?: string; all?: boolean; format?: 'v2s2' | 'oci'; certDir?: string } = {}): Promise<void> {
  const args = ['copy', '-q', '--dest-tls-verify=false'];
  if (opts.certDir) args.push('--dest-cert-dir', opts.certDir);
  if (opts.creds) args.push('--dest-creds', opts.creds);
  if (opts.all) args.push('--all');
  if (opts.format) args.push('--format', opts.format);
  args.push(src, dest);
  const child = spawn('skopeo', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`skopeo ${args.join(' ')}: exit ${code}: ${stderr}`);
}

export const creds = `${REGISTRY_USER}:${REGISTRY_PASSWORD}`;

/** What an intercepting proxy may do with one request; return false to forward it unchanged. */
export type Intercept = (req: http.IncomingMessage, res: http.ServerResponse, upstream: Upstream) => boolean | Promise<boolean>;

export interface Upstream {
  /** the upstream response for this request (same method, path and headers), body unread */
  fetch(req: http.IncomingMessage): Promise<http.IncomingMessage>;
}

export interface Proxy {
  host: string;
  /** body bytes sent to clients per request path (blob bytes on the wire) */
  bytesByPath: Map<string, number>;
  requests: Array<{ method: string; path: string; range?: string; authorization?: string }>;
  stop(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of a registry, written for fault tests: it forwards requests,
 * counts the body bytes it sends back per path, and lets a test take over any request (cut a
 * blob mid-way, tamper with bytes, redirect, hang).
 */
export async function startProxy(upstreamPort: number, intercept: Intercept = () => false): Promise<Proxy> {
  const bytesByPath = new Map<string, number>();
  const requests: Proxy['requests'] = [];
  const upstream: Upstream = {
    fetch: (req) =>
      new Promise((resolve, reject) => {
        const headers = { ...req.headers, host: `127.0.0.1:${upstreamPort}` };
        const r = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers }, resolve);
        r.on('error', reject);
        req.pipe(r);
      }),
  };
  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({
      method: req.method ?? '',
      path,
      ...(req.headers.range ? { range: req.headers.range } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const count = (n: number) => bytesByPath.set(path, (bytesByPath.get(path) ?? 0) + n);
    const origWrite = res.write.bind(res);
    res.write = ((chunk: Buffer | string, ...rest: unknown[]) => {
      count(Buffer.byteLength(chunk));
      return (origWrite as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof res.write;
    try {
      if (await intercept(req, res, upstream)) return;
      const up = await upstream.fetch(req);
      const headers = { ...up.headers };
      // Location headers name the upstream; rewrite them to point back through the proxy.
      if (typeof headers.location === 'string') headers.location = headers.location.replace(`127.0.0.1:${upstreamPort}`, `127.0.0.1:${(server.address() as AddressInfo).port}`);
      res.writeHead(up.statusCode ?? 502, headers);
      for await (const chunk of up) res.write(chunk as Buffer);
      res.end();
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    bytesByPath,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
