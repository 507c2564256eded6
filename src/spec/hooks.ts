// --hook-spec FILE: the OCI hooks a container's HostConfig names by file, read at create.
import { access, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { invalidArgument, messageOf } from '../util/errors.ts';
import type { Hooks } from '../runtime/oci-spec.ts';

/**
 * --hook-spec FILE: {"prestart": [...], "poststart": [...], "poststop": [...]}, each hook
 * {path, args, env, timeout}; the daemon reads it (iSulad does too) and checks every hook path
 * with iSulad's messages.
 */
export async function readHookSpec(file: string): Promise<Hooks> {
  let v: unknown;
  try {
    v = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw invalidArgument(`Failed to read hook spec ${file}: ${messageOf(err)}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidArgument(`Invalid hook spec ${file}: not an object`);
  const out: Hooks = {};
  for (const kind of ['prestart', 'poststart', 'poststop'] as const) {
    const list = (v as Record<string, unknown>)[kind];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw invalidArgument(`Invalid hook spec ${file}: ${kind} must be a list`);
    out[kind] = [];
    for (const x of list as Array<Record<string, unknown>>) {
      const path = x?.['path'];
      if (typeof path !== 'string' || !path.startsWith('/')) throw invalidArgument(`${String(path)} is not an absolute path`);
      try {
        await access(path, constants.F_OK);
      } catch {
        throw invalidArgument(`Cann't find path: ${path}`);
      }
      // iSulad runs it and fails the start with EACCES (isula run exits 126); refused here before
      // anything is made, with the same words
      try {
        await access(path, constants.X_OK);
      } catch {
        throw invalidArgument(`hook ${path} cannot be executed: Permission denied`);
      }
      const strs = (k: string) => (Array.isArray(x[k]) ? (x[k] as unknown[]).filter((a): a is string => typeof a === 'string') : undefined);
      const args = strs('args');
      const env = strs('env');
      const timeout = typeof x['timeout'] === 'number' ? x['timeout'] : undefined;
      if (timeout !== undefined && timeout <= 0) throw invalidArgument(`Invalid timeout: ${timeout}`);
      out[kind].push({ path, ...(args ? { args } : {}), ...(env ? { env } : {}), ...(timeout !== undefined ? { timeout } : {}) });
    }
  }
  return out;
}
