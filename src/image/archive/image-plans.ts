// Turns the members of a read archive into image plans: which config, which layers in which
// order, which names. docker-save (manifest.json) is preferred; else OCI image layout (index.json,
// nested indexes, one manifest per platform → the host's).
//
// OCI names: `io.containerd.image.name` is a full name; `org.opencontainers.image.ref.name` is a
// full name when it holds a ':' or '/', otherwise only a tag without a repository (umoci, skopeo
// write "latest"), and the image loads untagged unless `load --tag` names it.
import { createHash } from 'node:crypto';
import type { ArchiveContents } from './read-archive.ts';
import { archivePath, memberJson } from './read-archive.ts';
import { parseReference, taggedName } from '../reference.ts';
import { invalidArgument } from '../../util/errors.ts';

export interface ImagePlan {
  configPath: string;
  configBytes: Buffer;
  layerPaths: string[];
  /** blob digests to verify (OCI descriptors), by layer index */
  layerDigests: Array<string | undefined>;
  names: string[];
  manifestBytes?: Buffer;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const MT = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
};

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

/** The host platform in OCI terms. */
export function hostPlatform(): Platform {
  const arch = ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' } as Record<string, string>)[process.arch] ?? process.arch;
  return { os: 'linux', architecture: arch, ...(arch === 'arm64' ? { variant: 'v8' } : arch === 'arm' ? { variant: 'v7' } : {}) };
}

/** A descriptor matches when os and arch match and its variant, if any, is ours (missing = match). */
export function platformMatches(p: Descriptor['platform'], host: Platform): boolean {
  if (!p) return true;
  if (p.os !== undefined && p.os !== host.os) return false;
  if (p.architecture !== undefined && p.architecture !== host.architecture) return false;
  return p.variant === undefined || host.variant === undefined || p.variant === host.variant;
}

function normaliseNames(tags: unknown, what: string): string[] {
  if (tags === null || tags === undefined) return [];
  if (!Array.isArray(tags)) throw invalidArgument(`${what}: RepoTags is not a list`);
  return tags.map((t) => {
    if (typeof t !== 'string') throw invalidArgument(`${what}: invalid repo tag`);
    return taggedName(parseReference(t));
  });
}

function blobPath(digest: unknown, what: string): string {
  if (typeof digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(digest)) throw invalidArgument(`${what}: invalid digest ${JSON.stringify(digest)}`);
  return `blobs/sha256/${digest.slice(7)}`;
}

function blobBytes(c: ArchiveContents, d: Descriptor, what: string): Buffer {
  const path = blobPath(d.digest, what);
  const m = c.members.get(path);
  if (!m || m.kind !== 'json') throw invalidArgument(`${what} ${d.digest ?? ''} not found in archive`);
  const got = 'sha256:' + createHash('sha256').update(m.bytes).digest('hex');
  if (got !== d.digest) throw invalidArgument(`${what} ${d.digest ?? ''}: content digest is ${got}`);
  return m.bytes;
}

function dockerPlans(c: ArchiveContents): ImagePlan[] {
  const manifest = memberJson<unknown>(c, 'manifest.json', 'manifest');
  if (!Array.isArray(manifest)) throw invalidArgument('manifest.json is not a list');
  return manifest.map((m: { Config?: unknown; RepoTags?: unknown; Layers?: unknown }, i) => {
    const what = `manifest.json entry ${i}`;
    const configPath = archivePath(m.Config, `${what} Config`);
    const cm = c.members.get(configPath);
    if (!cm || cm.kind !== 'json') throw invalidArgument(`${what}: config ${JSON.stringify(configPath)} not found in archive`);
    if (!Array.isArray(m.Layers)) throw invalidArgument(`${what}: Layers is not a list`);
    const layerPaths = m.Layers.map((l: unknown) => archivePath(l, `${what} layer`));
    return { configPath, configBytes: cm.bytes, layerPaths, layerDigests: layerPaths.map(() => undefined), names: normaliseNames(m.RepoTags, what) };
  });
}

function nameFromAnnotations(a: Record<string, string> | undefined): string[] {
  const full = a?.['io.containerd.image.name'] ?? a?.['org.opencontainers.image.ref.name'];
  if (full === undefined || !(full.includes(':') || full.includes('/'))) return [];
  return [taggedName(parseReference(full))];
}

function ociPlans(c: ArchiveContents, host: Platform): ImagePlan[] {
  const index = memberJson<{ manifests?: Descriptor[] }>(c, 'index.json', 'OCI index');
  if (!Array.isArray(index.manifests)) throw invalidArgument('index.json has no manifests');
  const plans: ImagePlan[] = [];
  let skipped = 0;
  const visit = (d: Descriptor, names: string[], depth: number): void => {
    if (depth > 4) throw invalidArgument('OCI index nesting is too deep');
    if (d.mediaType === MT.ociIndex || d.mediaType === MT.dockerList) {
      const nested = JSON.parse(blobBytes(c, d, 'index').toString('utf8')) as { manifests?: Descriptor[] };
      const match = (nested.manifests ?? []).find((m) => m.platform !== undefined && platformMatches(m.platform, host)) ?? (nested.manifests ?? []).find((m) => m.platform === undefined);
      if (!match) {
        skipped++;
        return;
      }
      visit(match, names, depth + 1);
      return;
    }
    if (!platformMatches(d.platform, host)) {
      skipped++;
      return;
    }
    const manifestBytes = blobBytes(c, d, 'manifest');
    const m = JSON.parse(manifestBytes.toString('utf8')) as { config?: Descriptor; layers?: Descriptor[] };
    if (!m.config || !Array.isArray(m.layers)) throw invalidArgument(`manifest ${d.digest ?? ''} has no config or layers`);
    const configBytes = blobBytes(c, m.config, 'config');
    const layerPaths = m.layers.map((l) => blobPath(l.digest, 'layer'));
    plans.push({ configPath: blobPath(m.config.digest, 'config'), configBytes, layerPaths, layerDigests: m.layers.map((l) => l.digest), names, manifestBytes });
  };
  for (const d of index.manifests) visit(d, nameFromAnnotations(d.annotations), 0);
  if (plans.length === 0 && skipped > 0) {
    throw invalidArgument(`archive has no image for platform ${host.os}/${host.architecture}${host.variant ? '/' + host.variant : ''}`);
  }
  return plans;
}

export function imagePlans(c: ArchiveContents, host: Platform = hostPlatform()): ImagePlan[] {
  if (c.members.has('manifest.json')) return dockerPlans(c);
  if (c.members.has('index.json')) return ociPlans(c, host);
  throw invalidArgument('not an image archive: neither manifest.json (docker-save) nor index.json (OCI layout) found');
}
