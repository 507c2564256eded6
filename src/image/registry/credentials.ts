// Registry credentials at rest, in iSulad's format (research/isulad.md §5.7): <dir>/auths.json
// holds {"auths": {"<registry>": {"auth": "<b64>"}}} where the value is AES-256-CFB (random
// 16-byte IV prefixed) over base64("user:password"), base64'd again. The key is <dir>/aeskey (32
// random bytes, mode 0600), made on first use; the directory is 0700. Secrets never reach a log
// line or an error message. Writes are atomic (temp file + rename) and serialised in-process.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dataLoss, errnoCode, invalidArgument } from '../../util/errors.ts';
import { writeFileDurable } from '../../util/durable-file.ts';
import type { Credentials } from './auth.ts';

const AUTHS = 'auths.json';
const KEY = 'aeskey';
const KEY_BYTES = 32;
const IV_BYTES = 16;

interface AuthsFile {
  auths: Record<string, { auth: string }>;
}

/** The key a registry is stored under: its host[:port], docker.io for Docker Hub's aliases. */
export function registryKey(server: string): string {
  let s = server.trim();
  if (s === '') throw invalidArgument('registry server is empty');
  s = s.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  if (s === '' || /[\s/]/.test(s)) throw invalidArgument(`invalid registry server ${JSON.stringify(server)}`);
  const lower = s.toLowerCase();
  if (lower === 'index.docker.io' || lower === 'registry-1.docker.io') return 'docker.io';
  return lower;
}

export class CredentialStore {
  private readonly dir: string;
  private queue: Promise<unknown> = Promise.resolve();

  /** `dir` defaults to iSulad's /root/.isulad; tests pass a temp dir. */
  constructor(dir: string) {
    this.dir = dir;
  }

  async get(server: string): Promise<Credentials | undefined> {
    const key = registryKey(server);
    const file = await this.read();
    const entry = file.auths[key];
    if (!entry) return undefined;
    return decode(entry.auth, await this.key(false), key);
  }

  set(server: string, creds: Credentials): Promise<void> {
    const key = registryKey(server);
    if (creds.username === '' || creds.username.includes(':')) throw invalidArgument('username must be non-empty and must not contain ":"');
    return this.serial(async () => {
      const aes = await this.key(true);
      const file = await this.read();
      file.auths[key] = { auth: encode(creds, aes) };
      await this.write(file);
    });
  }

  /** Returns false when nothing was stored for `server`. */
  remove(server: string): Promise<boolean> {
    const key = registryKey(server);
    return this.serial(async () => {
      const file = await this.read();
      if (!file.auths[key]) return false;
      delete file.auths[key];
      await this.write(file);
      return true;
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => {});
    return p;
  }

  private async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
  }

  private async key(create: boolean): Promise<Buffer> {
    const path = join(this.dir, KEY);
    try {
      const k = await readFile(path);
      if (k.length !== KEY_BYTES) throw dataLoss(`${path}: not a ${KEY_BYTES}-byte key`);
      return k;
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT' || !create) throw err;
    }
    await this.ensureDir();
    const k = randomBytes(KEY_BYTES);
    await writeFileDurable(path, k, { tmp: `${path}.tmp-${process.pid}` });
    return k;
  }

  private async read(): Promise<AuthsFile> {
    let text: string;
    try {
      text = await readFile(join(this.dir, AUTHS), 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return { auths: {} };
      throw err;
    }
    try {
      const doc = JSON.parse(text) as Partial<AuthsFile>;
      return { auths: typeof doc.auths === 'object' && doc.auths !== null ? doc.auths : {} };
    } catch {
      throw dataLoss(`${join(this.dir, AUTHS)} is not valid JSON`);
    }
  }

  private async write(file: AuthsFile): Promise<void> {
    await this.ensureDir();
    const path = join(this.dir, AUTHS);
    if (Object.keys(file.auths).length === 0) {
      await rm(path, { force: true });
      return;
    }
    await writeFileDurable(path, Buffer.from(`${JSON.stringify(file, null, 2)}\n`), { tmp: `${path}.tmp-${process.pid}` });
  }
}

function encode(c: Credentials, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-cfb', key, iv);
  const plain = Buffer.from(Buffer.from(`${c.username}:${c.password}`).toString('base64'));
  return Buffer.concat([iv, cipher.update(plain), cipher.final()]).toString('base64');
}

function decode(auth: string, key: Buffer, registry: string): Credentials {
  const raw = Buffer.from(auth, 'base64');
  if (raw.length <= IV_BYTES) throw dataLoss(`stored credentials for ${registry} are damaged`);
  const decipher = createDecipheriv('aes-256-cfb', key, raw.subarray(0, IV_BYTES));
  const b64 = Buffer.concat([decipher.update(raw.subarray(IV_BYTES)), decipher.final()]).toString();
  const pair = Buffer.from(b64, 'base64').toString();
  const colon = pair.indexOf(':');
  if (colon <= 0) throw dataLoss(`stored credentials for ${registry} cannot be decrypted (was the key replaced?)`);
  return { username: pair.slice(0, colon), password: pair.slice(colon + 1) };
}
