// Types for tar-writer.mjs (plain JS so that build.sh can run it on the system node).
export type TarEntryType = 'file' | 'dir' | 'symlink' | 'link' | 'char' | 'block' | 'fifo';
export interface TarEntry {
  name: string;
  type?: TarEntryType;
  mode?: number;
  uid?: number;
  gid?: number;
  /** seconds since the epoch */
  mtime?: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** extra PAX records, e.g. { 'SCHILY.xattr.user.k': 'v' } */
  pax?: Record<string, string>;
  data?: Buffer | string;
  /** header size when it must differ from data.length (hostile fixtures only) */
  claimedSize?: number;
}
export function tarHeader(entry: TarEntry): Buffer;
export function tarEntry(entry: TarEntry): Buffer;
export const TAR_END: Buffer;
export function tarArchive(entries: TarEntry[]): Buffer;
