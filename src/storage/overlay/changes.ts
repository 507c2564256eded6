// A container's changes as a layer tar (`isula commit`): the overlay upper dir packed as it is,
// with overlay's markers turned into the layer-tar form (image-spec layer.md): a whiteout (0:0
// character device) becomes an empty `.wh.<name>`, a directory with trusted.overlay.opaque=y
// gets a `.wh..wh..opq` entry. The store mounts with redirect_dir and metacopy off (the kernel
// defaults here), so the upper dir holds whole files and whole directories, nothing by reference.
// Node cannot read xattrs: one `getfattr -R` (the `attr` package, as setfattr for extraction)
// lists the opaque directories before packing starts.
import { lstat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { runTool } from '../fs-tools.ts';
import { messageOf } from '../../util/errors.ts';
import type { IdShift } from '../id-shift.ts';

/**
 * Parses `getfattr -d` output: "# file: <name>" lines, names as UTF-8 with control characters and
 * the backslash written as octal escapes (`\012`, `\134`).
 */
export function parseGetfattrFiles(out: string): string[] {
  const names: string[] = [];
  for (const line of out.split('\n')) {
    if (!line.startsWith('# file: ')) continue;
    const name = line.slice(8).replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    names.push(name.startsWith('./') ? name.slice(2) : name);
  }
  return names;
}

/** Directories of `upper` (relative paths) that overlay marked opaque. */
export async function opaqueDirs(upper: string): Promise<Set<string>> {
  const out = await runTool('getfattr', ['-R', '-P', '-d', '-e', 'text', '-m', '^trusted\\.overlay\\.opaque$', '.'], { cwd: upper });
  return new Set(parseGetfattrFiles(out).filter((n) => n !== '.' && n !== ''));
}

/**
 * The tar of `upper` (entries relative to it, whiteouts in tar form). The caller keeps the tree
 * still while it is read (the container paused or stopped). idShift: the container runs in a user
 * namespace; the tar carries its ids, not the host's (pack-tree.ts).
 */
export async function changesTar(upper: string, signal?: AbortSignal, idShift?: IdShift): Promise<Readable> {
  const [tarStream, { packTree }, opaque, st] = await Promise.all([
    import('tar-stream'),
    import('../rootfs/pack-tree.ts'),
    opaqueDirs(upper),
    lstat(upper),
  ]);
  const pack = tarStream.pack();
  const out = pack as unknown as Readable;
  // errors reach the consumer through its pipeline; a pack destroyed by a cancel may still emit
  // 'error' after the pipeline let go of it, and an unheard 'error' would take the daemon down
  out.on('error', () => {});
  packTree(pack, upper, st, { top: '', overlay: { opaqueDirs: opaque }, ...(signal ? { signal } : {}), ...(idShift ? { idShift } : {}) }).catch((err: unknown) => {
    out.destroy(err instanceof Error ? err : new Error(messageOf(err)));
  });
  return out;
}
