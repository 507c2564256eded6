// `images -f`: dangling, label, before, since, reference (with * and ? wildcards), as iSulad and
// docker accept them. Pure: parse once (invalid-argument on a bad filter), then test each image.
import type { ImageRecord } from '../../image/types.ts';
import { splitTaggedName } from '../../image/reference.ts';
import { invalidArgument } from '../../util/errors.ts';

export type ImageFilters = Record<string, string[]>;

const KEYS = new Set(['dangling', 'label', 'before', 'since', 'reference']);

/** "key=value" strings (repeatable) → filters map. */
export function parseFilterArgs(args: string[]): ImageFilters {
  const out: ImageFilters = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw invalidArgument(`bad format of filter (expected name=value): ${a}`);
    const key = a.slice(0, eq).trim().toLowerCase();
    if (!KEYS.has(key)) throw invalidArgument(`invalid filter '${key}'`);
    (out[key] ??= []).push(a.slice(eq + 1));
  }
  return out;
}

export function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (const ch of glob) re += ch === '*' ? '[^/]*' : ch === '?' ? '[^/]' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(re + '$');
}

export type ImageMatcher = (img: ImageRecord) => boolean;

/**
 * Builds the predicate. `resolve` finds the image named by before=/since= (which compare the
 * creation time, as docker does).
 */
export function imageMatcher(filters: ImageFilters, resolve: (ref: string) => ImageRecord | undefined): ImageMatcher {
  const preds: ImageMatcher[] = [];
  for (const [key, values] of Object.entries(filters)) {
    if (!KEYS.has(key)) throw invalidArgument(`invalid filter '${key}'`);
    if (key === 'dangling') {
      for (const v of values) {
        if (v !== 'true' && v !== 'false') throw invalidArgument(`invalid filter 'dangling=${v}'`);
        const want = v === 'true';
        preds.push((i) => (i.names.length === 0) === want);
      }
    } else if (key === 'label') {
      for (const v of values) {
        const eq = v.indexOf('=');
        const k = eq < 0 ? v : v.slice(0, eq);
        const val = eq < 0 ? undefined : v.slice(eq + 1);
        preds.push((i) => {
          const labels = i.config.config?.Labels ?? {};
          return Object.hasOwn(labels, k) && (val === undefined || labels[k] === val);
        });
      }
    } else if (key === 'before' || key === 'since') {
      for (const v of values) {
        const ref = resolve(v);
        if (!ref) throw invalidArgument(`No such image: ${v}`);
        const t = Date.parse(ref.created);
        preds.push(key === 'before' ? (i) => Date.parse(i.created) < t : (i) => Date.parse(i.created) > t);
      }
    } else {
      // reference: any of the patterns matches a name as "repo" or "repo:tag"
      const res = values.map(globToRegExp);
      preds.push((i) => i.names.some((n) => res.some((re) => re.test(n) || re.test(splitTaggedName(n).repo))));
    }
  }
  return (i) => preds.every((p) => p(i));
}
