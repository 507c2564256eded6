// The daemon's scratch directory, as iSulad makes it (CI image_cases/isulad_tmpdir.sh):
// `<ISULAD_TMPDIR>/isulad_tmpdir`, or `<graph>/isulad_tmpdir` when the variable is unset, empty or
// "/tmp" (iSulad ignores those). Pulls keep their blob downloads there (partial blobs survive a
// restart and are resumed). At every start:
// - a missing ISULAD_TMPDIR is made (with isulad_tmpdir in it, mode 0700);
// - an existing one is followed to its real path (a link to a directory works), and
//   isulad_tmpdir in it is kept only if it is a root-owned 0700 directory, not a link; anything
//   else there is removed and made again;
// - a link whose target is gone (or a file) is an error: the daemon does not start, as iSulad.
import { lstat, mkdir, realpath, rm, stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { failedPrecondition, messageOf } from '../util/errors.ts';

export const TMPDIR_NAME = 'isulad_tmpdir';
const MODE = 0o700;

/** The base directory iSulad would use: ISULAD_TMPDIR unless unset, empty or "/tmp". Pure. */
export function tmpBase(envValue: string | undefined, graph: string): string {
  return envValue !== undefined && envValue !== '' && envValue !== '/tmp' ? normalize(envValue) : graph;
}

const refuse = (dir: string, why: string) => failedPrecondition(`Failed to ensure the ${dir} directory is a safe directory: ${why}`);

/** Makes sure `<base>/isulad_tmpdir` is a safe directory (see above); returns its real path. */
export async function ensureTmpDir(envValue: string | undefined, graph: string): Promise<string> {
  const base = tmpBase(envValue, graph);
  const st = await stat(base).catch(() => undefined);
  if (st === undefined) {
    const l = await lstat(base).catch(() => undefined);
    if (l?.isSymbolicLink()) throw refuse(base, 'it is a symbolic link to a missing directory');
    if (l !== undefined) throw refuse(base, 'it is not a directory');
    const dir = join(base, TMPDIR_NAME);
    await mkdir(dir, { recursive: true, mode: MODE }).catch((e: unknown) => {
      throw refuse(base, messageOf(e));
    });
    return join(await realpath(base), TMPDIR_NAME);
  }
  if (!st.isDirectory()) throw refuse(base, 'it is not a directory');
  const dir = join(await realpath(base), TMPDIR_NAME);
  const cur = await lstat(dir).catch(() => undefined);
  if (cur?.isDirectory() && (cur.mode & 0o777) === MODE && cur.uid === process.getuid?.()) return dir;
  // not ours as it should be (a file, a link, other mode or owner): made again
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { mode: MODE }).catch((e: unknown) => {
    throw refuse(base, messageOf(e));
  });
  return dir;
}
