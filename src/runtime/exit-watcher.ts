// Watches the flat exits/ dir for exit files the monitors rename into place. fs.watch (inotify)
// gives the event; a rescan at open finds exits that happened while no daemon ran. The callback
// may be called more than once for one file (several inotify events); the driver dedupes.
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { log } from '../util/log.ts';

export interface ExitWatcher {
  close(): void;
}

export function watchExits(dir: string, onFile: (id: string) => void): ExitWatcher {
  let closed = false;
  const check = (name: string) => {
    if (!closed && !name.endsWith('.tmp') && !name.startsWith('.')) onFile(name);
  };
  let w: FSWatcher | undefined;
  try {
    // persistent: a caller awaiting an exit keeps the process alive; close() releases it
    w = watch(dir, { persistent: true }, (_event, name) => {
      if (name !== null) check(name.toString());
    });
  } catch (err) {
    log.warn('cannot watch the exit dir; exits are found by rescans only', err);
  }
  readdir(dir).then(
    (names) => names.forEach(check),
    () => undefined,
  );
  return {
    close() {
      closed = true;
      w?.close();
    },
  };
}
