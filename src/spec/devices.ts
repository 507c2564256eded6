// A device request (--device PATH[:CONTAINER_PATH[:PERMISSIONS]], parsed once by the CLI into
// HostConfig.Devices) → a LinuxDevice, with the major/minor read from the host node (the one piece
// of I/O spec options need besides loadSpecContext).
import { stat } from 'node:fs/promises';
import { invalidArgument, wrap } from '../util/errors.ts';
import type { LinuxDevice } from './types.ts';

export interface DeviceSpec {
  pathOnHost: string;
  /** '' or absent: the host path */
  pathInContainer?: string;
  /** '' or absent: rwm */
  permissions?: string;
}

export async function resolveDevice(d: DeviceSpec): Promise<LinuxDevice & { permissions: string }> {
  const host = d.pathOnHost;
  const inner = d.pathInContainer || host;
  const permissions = d.permissions || 'rwm';
  const arg = [host, inner, permissions].join(':');
  if (!host.startsWith('/') || !inner.startsWith('/')) throw invalidArgument(`invalid device specification: ${arg}`);
  if (!/^[rwm]{1,3}$/.test(permissions)) throw invalidArgument(`invalid device mode: ${permissions}`);
  let st;
  try {
    st = await stat(host);
  } catch (err) {
    throw wrap(err, `error gathering device information while adding device "${host}"`);
  }
  const type = st.isCharacterDevice() ? 'c' : st.isBlockDevice() ? 'b' : undefined;
  if (type === undefined) throw invalidArgument(`"${host}" is not a device node`);
  const rdev = st.rdev;
  const major = ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
  const minor = (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
  return { path: inner, hostPath: host, type, major, minor, fileMode: st.mode & 0o7777, uid: 0, gid: 0, permissions };
}

/** major:minor of a block device node (--blkio-weight-device, --device-*-bps/iops). */
export async function resolveBlockDevice(path: string): Promise<{ major: number; minor: number }> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    throw wrap(err, `Error gathering device information while adding device "${path}"`);
  }
  if (!st.isBlockDevice()) throw invalidArgument(`"${path}" is not a block device`);
  const rdev = st.rdev;
  return { major: ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff), minor: (rdev & 0xff) | ((rdev >>> 12) & 0xfff00) };
}
