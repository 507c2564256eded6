// docker cp's rules for where a copied tree lands, as pure functions (table-tested). Both
// directions use them: the daemon when a tar arrives for a container path, the CLI when a tar
// from a container arrives for a local path.
//
// The source side always sends one tree whose top entry is named after the source (its base
// name); the destination side maps that top name to the final name:
//   SRC file, DEST missing        → DEST is the file (its parent must exist)
//   SRC file, DEST a file         → DEST is overwritten
//   SRC file, DEST a dir          → DEST/<base>
//   SRC file, DEST ends with "/"  → DEST must be an existing directory
//   SRC dir,  DEST missing        → DEST is created with the source's contents
//   SRC dir,  DEST a file         → error
//   SRC dir,  DEST a dir          → DEST/<base>, or the contents into DEST when SRC ends with "/."
import { failedPrecondition, invalidArgument, notFound } from '../../util/errors.ts';

export interface CopySource {
  isDir: boolean;
  /** the source path as the user typed it (for "/." and trailing "/") */
  path: string;
}

export interface CopyDestination {
  /** as the user typed it */
  path: string;
  /** undefined: does not exist */
  kind: 'dir' | 'other' | undefined;
  /** does the parent exist as a directory (only asked when kind is undefined) */
  parentIsDir: boolean;
}

/** Where the tree goes: into `dir` (a container or local path), top entry renamed to `name`; '' = its contents. */
export interface CopyTarget {
  /** the directory to extract into: the destination itself or its parent */
  dir: 'dest' | 'parent';
  /** the new name of the source's top entry; '' = its contents go straight into dir */
  name: string;
}

export function endsWithSlash(p: string): boolean {
  return p.endsWith('/');
}

export function endsWithDot(p: string): boolean {
  return p === '.' || p.endsWith('/.');
}

/** The last component of a path as typed ("/" and "" have none). */
export function baseNameOf(p: string): string {
  const parts = p.split('/').filter((x) => x !== '' && x !== '.');
  return parts.at(-1) ?? '';
}

/** The name the source side gives its top entry; '' for a root ("/", "/."), sent as contents. */
export function sourceTopName(src: CopySource): string {
  return baseNameOf(src.path);
}

export function copyTarget(src: CopySource, dest: CopyDestination, what: { destLabel: string }): CopyTarget {
  const base = sourceTopName(src);
  if (!src.isDir && endsWithSlash(src.path)) throw invalidArgument(`source ${JSON.stringify(src.path)} is not a directory`);
  if (dest.kind === 'dir') {
    if (src.isDir && (endsWithDot(src.path) || base === '')) return { dir: 'dest', name: '' };
    return { dir: 'dest', name: base };
  }
  if (dest.kind === 'other') {
    if (src.isDir) throw failedPrecondition(`cannot copy directory to file: ${what.destLabel} is not a directory`);
    if (endsWithSlash(dest.path)) throw invalidArgument(`no such directory, can not copy file: destination ${what.destLabel} is not a directory`);
    return { dir: 'parent', name: baseNameOf(dest.path) };
  }
  // the destination does not exist
  if (!src.isDir && endsWithSlash(dest.path)) throw notFound(`no such directory, can not copy file: destination directory ${what.destLabel} does not exist`);
  if (!dest.parentIsDir) throw notFound(`no such directory: the parent of ${what.destLabel}`);
  const name = baseNameOf(dest.path);
  if (name === '') throw invalidArgument(`invalid destination ${what.destLabel}`);
  return { dir: 'parent', name };
}
