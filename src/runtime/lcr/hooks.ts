// OCI hooks (isula --hook-spec) on lcr. LXC has no OCI hooks: prestart becomes an
// lxc.hook.start-host script (run on the host once the container's namespaces exist, before its
// init runs; LXC hands it the init pid as LXC_PID), poststop an lxc.hook.post-stop script, and
// poststart is run by the driver once the init runs. Each gets the OCI state JSON on stdin, its
// own env only, and its timeout (seconds) through timeout(1).
import { spawn } from 'node:child_process';
import type { Hook } from '../oci-spec.ts';

const shQuote = (w: string): string => `'${w.replace(/'/g, `'\\''`)}'`;

export function ociState(id: string, status: string, pid: number, bundle: string): string {
  return JSON.stringify({ ociVersion: '1.0.2', id, status, pid, bundle, annotations: {} });
}

/** The script LXC runs for one hook. Pure. */
export function hookScript(h: Hook, status: 'created' | 'stopped', bundle: string): string {
  const argv = h.args && h.args.length > 0 ? h.args.slice(1) : [];
  const timeout = h.timeout ? ['/usr/bin/timeout', '-s', 'KILL', String(h.timeout)] : [];
  const cmd = ['exec', '/usr/bin/env', '-i', ...(h.env ?? []), ...timeout, h.path, ...argv].map((w, i) => (i === 0 ? w : shQuote(w))).join(' ');
  const template = `{"ociVersion":"1.0.2","id":"%s","status":"${status}","pid":%s,"bundle":${JSON.stringify(bundle)},"annotations":{}}`;
  return [
    '#!/bin/sh',
    `# OCI ${status === 'created' ? 'prestart' : 'poststop'} hook, written by isulad (LXC passes the init pid as LXC_PID)`,
    `state=$(printf ${shQuote(template)} "$LXC_NAME" "\${LXC_PID:-0}")`,
    `printf '%s' "$state" | ${cmd}`,
    '',
  ].join('\n');
}

/** Runs one hook with the state on stdin; resolves with its exit status when it exits (never rejects). */
export function runHook(h: Hook, state: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(h.path, h.args && h.args.length > 0 ? h.args.slice(1) : [], {
      ...(h.args?.[0] ? { argv0: h.args[0] } : {}),
      env: Object.fromEntries((h.env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])),
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    const timer = h.timeout ? setTimeout(() => child.kill('SIGKILL'), h.timeout * 1000) : undefined;
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      resolve({ code: null, stderr: err.message });
    });
    // the hook's own exit ends it, not its stderr's close: a child it left behind may hold the
    // pipe for as long as it lives (iSulad CI hook_ignore_poststart_error.sh kills the hook and
    // expects the start to return while the hook's `sleep 300` still runs)
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      setImmediate(() => {
        child.stderr.destroy();
        resolve({ code, stderr });
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(state);
  });
}
