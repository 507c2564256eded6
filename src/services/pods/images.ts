// The CRI's view of images (runtime.v1.ImageService): over the image and registry services, with
// the CRI's rules: ids are "sha256:<hex>", a missing image is no error for status and remove,
// the image's USER gives uid (numeric) or username, a pull answers the image id.
import { statfs } from 'node:fs/promises';
import type { ImageRecord } from '../../image/types.ts';
import type { Credentials } from '../../image/registry/auth.ts';
import { parseReference } from '../../image/reference.ts';
import { invalidArgument, isNotFound } from '../../util/errors.ts';

export interface CriImageView {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  uid?: number;
  username: string;
  pinned: boolean;
}

export interface CriAuth {
  username: string;
  password: string;
  /** base64 "user:password" */
  auth: string;
  serverAddress: string;
  identityToken: string;
  registryToken: string;
}

/** What CriImages needs from the image and registry services. */
export interface CriImageDeps {
  list(): ImageRecord[];
  resolve(ref: string): ImageRecord | undefined;
  /** removes the image with every name (by id) */
  removeImage(id: string): Promise<void>;
  pull(ref: string, opts: { credentials?: Credentials; signal?: AbortSignal }): Promise<ImageRecord>;
  /** where layers live, for ImageFsInfo */
  storageDir: string;
  /** the pod sandbox image, reported pinned */
  sandboxImage(): string;
}

/** USER "1002" | "www-data" | "1003:1004" | "www-data:1004" → uid or username (CRI ImageStatus). */
export function userOfImage(user: string | undefined): { uid?: number; username: string } {
  const u = (user ?? '').split(':')[0] ?? '';
  if (u === '') return { username: '' };
  if (/^[0-9]+$/.test(u)) return { uid: Number(u), username: '' };
  return { username: u };
}

/** AuthConfig → credentials: username/password, or the base64 auth field. Tokens are not supported. */
export function credentialsOf(a: CriAuth | undefined): Credentials | undefined {
  if (!a) return undefined;
  if (a.username !== '' || a.password !== '') return { username: a.username, password: a.password };
  if (a.auth !== '') {
    const text = Buffer.from(a.auth, 'base64').toString('utf8');
    const i = text.indexOf(':');
    if (i < 0) throw invalidArgument('auth config: "auth" is not base64 of user:password');
    return { username: text.slice(0, i), password: text.slice(i + 1) };
  }
  return undefined;
}

export class CriImages {
  readonly #deps: CriImageDeps;
  constructor(deps: CriImageDeps) {
    this.#deps = deps;
  }

  view(img: ImageRecord): CriImageView {
    const sandbox = this.#deps.sandboxImage();
    return {
      id: `sha256:${img.id}`,
      repoTags: [...img.names],
      repoDigests: [...img.digests],
      size: img.size,
      ...userOfImage(img.config.config?.User),
      pinned: sandbox !== '' && img.names.includes(sandbox),
    };
  }

  /** A reference the engine resolves, or undefined (an unparsable one resolves to nothing too). */
  find(ref: string): ImageRecord | undefined {
    if (ref === '') return undefined;
    try {
      return this.#deps.resolve(ref);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  list(filter: string): CriImageView[] {
    if (filter !== '') {
      const img = this.find(filter);
      return img ? [this.view(img)] : [];
    }
    return this.#deps.list().map((i) => this.view(i));
  }

  status(ref: string): CriImageView | undefined {
    const img = this.find(ref);
    return img ? this.view(img) : undefined;
  }

  /** ImageStatus verbose: the image config as JSON under "info" (what crictl inspecti prints). */
  verboseInfo(id: string): Record<string, string> {
    const img = this.find(id);
    if (!img) return {};
    return { info: JSON.stringify({ id: img.id, names: img.names, digests: img.digests, created: img.created, imageSpec: img.config, chainID: img.topLayer, size: img.size }) };
  }

  async pull(ref: string, auth: CriAuth | undefined, signal?: AbortSignal): Promise<string> {
    if (ref === '') throw invalidArgument('PullImage: image is empty');
    parseReference(ref);
    const credentials = credentialsOf(auth);
    const img = await this.#deps.pull(ref, { ...(credentials ? { credentials } : {}), ...(signal ? { signal } : {}) });
    return `sha256:${img.id}`;
  }

  /** Removes the image a reference names, with all its tags; a missing image is success. */
  async remove(ref: string): Promise<void> {
    const img = this.find(ref);
    if (!img) return;
    try {
      await this.#deps.removeImage(img.id);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async fsInfo(): Promise<{ timestampNs: bigint; mountpoint: string; usedBytes: number; inodesUsed: number }> {
    const used = this.#deps.list().reduce((n, i) => n + i.size, 0);
    let inodesUsed = 0;
    try {
      const s = await statfs(this.#deps.storageDir);
      inodesUsed = Math.max(0, s.files - s.ffree);
    } catch {
      inodesUsed = 0;
    }
    return { timestampNs: BigInt(Date.now()) * 1_000_000n, mountpoint: this.#deps.storageDir, usedBytes: used, inodesUsed };
  }
}
