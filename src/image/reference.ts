// Image references: parsing and iSulad's name normalisation (research/isulad.md §5.4).
// A stored name is "familiar": the default host and `library/` are stripped, so
// `docker.io/library/busybox` is kept as `busybox:latest` and `docker.io/foo/bar` as `foo/bar:latest`.
// Pure functions; every failure is `invalid-argument`.
import { invalidArgument } from '../util/errors.ts';

export interface ImageReference {
  /** familiar repository name, e.g. "busybox", "foo/bar", "registry.local:5000/app" */
  repo: string;
  /** absent only when the reference carries a digest and no tag */
  tag?: string;
  /** "sha256:<64 hex>" */
  digest?: string;
}

const DEFAULT_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?$/;
/** Names reserved for untagged images (rmi/tag refuse them). */
export const RESERVED_NAMES = new Set(['none', 'none:latest']);
const MAX_NAME = 255;

/** True when the first path component names a registry host rather than a repository. */
function isHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** Parses "name[:tag][@digest]" into its familiar form; the tag defaults to "latest" without a digest. */
export function parseReference(input: string): ImageReference {
  const s = input.trim();
  if (s === '') throw invalidArgument('image name is empty');
  if (s.length > MAX_NAME) throw invalidArgument(`image name ${JSON.stringify(input)} is longer than ${MAX_NAME}`);
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalidArgument(`invalid digest in image name ${JSON.stringify(input)}`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalidArgument(`invalid tag in image name ${JSON.stringify(input)}`);
  }
  const parts = rest.split('/');
  let host: string | undefined;
  if (parts.length > 1 && isHost(parts[0] as string)) {
    host = parts.shift() as string;
    if (!HOST.test(host)) throw invalidArgument(`invalid registry host in image name ${JSON.stringify(input)}`);
  }
  if (parts.length === 0 || !parts.every((p) => COMPONENT.test(p))) {
    throw invalidArgument(`invalid image name ${JSON.stringify(input)}: repository must be lowercase [a-z0-9] with . _ - separators`);
  }
  if (host !== undefined && DEFAULT_HOSTS.has(host.toLowerCase())) host = undefined;
  if (host === undefined && parts.length === 2 && parts[0] === 'library') parts.shift();
  const repo = host === undefined ? parts.join('/') : `${host}/${parts.join('/')}`;
  if (tag === undefined && digest === undefined) tag = 'latest';
  return { repo, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** "repo:tag" (the form kept in ImageRecord.names); throws when the reference has no tag. */
export function taggedName(ref: ImageReference): string {
  if (ref.tag === undefined) throw invalidArgument(`image name ${ref.repo}@${ref.digest ?? ''} has no tag`);
  return `${ref.repo}:${ref.tag}`;
}

/** Normalises a user-given name to "repo:tag", refusing digests and the reserved names. */
export function normaliseTagName(input: string): string {
  const ref = parseReference(input);
  if (ref.digest !== undefined) throw invalidArgument(`image name ${JSON.stringify(input)}: a digest cannot be used as a tag`);
  const name = taggedName(ref);
  if (RESERVED_NAMES.has(name)) throw invalidArgument(`image name ${JSON.stringify(input)} is reserved`);
  return name;
}

/** "repo@sha256:..." for ImageRecord.digests. */
export function digestName(repo: string, digest: string): string {
  return `${repo}@${digest}`;
}

/** Splits a stored "repo:tag" at the tag colon (the last colon after the last slash). */
export function splitTaggedName(name: string): { repo: string; tag: string } {
  const colon = name.lastIndexOf(':');
  if (colon <= name.lastIndexOf('/')) return { repo: name, tag: '' };
  return { repo: name.slice(0, colon), tag: name.slice(colon + 1) };
}

/** A full image ID: 64 lowercase hex, optionally prefixed "sha256:"; returns the hex or undefined. */
export function parseFullId(s: string): string | undefined {
  const hex = s.startsWith('sha256:') ? s.slice(7) : s;
  return /^[a-f0-9]{64}$/.test(hex) ? hex : undefined;
}

/** A possible short ID prefix (at least 3 hex chars, optionally "sha256:"-prefixed); returns the hex. */
export function parseIdPrefix(s: string): string | undefined {
  const hex = s.startsWith('sha256:') ? s.slice(7) : s;
  return /^[a-f0-9]{3,64}$/.test(hex) ? hex : undefined;
}
