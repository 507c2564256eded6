// The image config blob (OCI image config / docker v2 container config) as the loader, the
// registry pull and the image store all read it: parsed and checked once, in one place.
import type { ImageConfigBlob } from './types.ts';
import { invalidArgument } from '../util/errors.ts';

/** Parses and sanity-checks an image config. */
export function parseImageConfig(bytes: Buffer): ImageConfigBlob {
  let c: unknown;
  try {
    c = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw invalidArgument('image config is not valid JSON', { cause: err });
  }
  const cfg = c as ImageConfigBlob;
  if (typeof c !== 'object' || c === null || typeof cfg.rootfs !== 'object' || cfg.rootfs === null || !Array.isArray(cfg.rootfs.diff_ids)) {
    throw invalidArgument('image config has no rootfs.diff_ids');
  }
  if (!cfg.rootfs.diff_ids.every((d) => typeof d === 'string' && /^sha256:[a-f0-9]{64}$/.test(d))) {
    throw invalidArgument('image config has an invalid diff ID');
  }
  return cfg;
}
