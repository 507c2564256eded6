// Delta records: re-putting a record that changed in a few fields writes only those fields. A
// state change of a 3 KB container record then costs tens of bytes of flash, not 3 KB, and callers
// still just put the whole record.
//
// A patch is a flat list [path1, value1, path2, value2, ...]; a path is an array of object keys and
// array indexes. diff() only descends into objects with the same keys in the same order and arrays
// of the same length, and replaces everything else whole, so applying a patch never adds, removes
// or reorders keys: the result is the new value exactly, key order included.

export type Patch = unknown[];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

function sameLeaf(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date && b instanceof Date) return Object.is(a.getTime(), b.getTime());
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b) && a.constructor === b.constructor) {
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }
  return false;
}

/** The changes turning `from` into `to` (both decoded CBOR data); [] when they are equal. */
export function diff(from: unknown, to: unknown): Patch {
  const out: Patch = [];
  walk(from, to, [], out);
  return out;
}

function walk(from: unknown, to: unknown, path: Array<string | number>, out: Patch): void {
  if (sameLeaf(from, to)) return;
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    for (let i = 0; i < to.length; i++) walk(from[i], to[i], [...path, i], out);
    return;
  }
  if (isPlainObject(from) && isPlainObject(to)) {
    const keys = Object.keys(to);
    if (sameKeys(Object.keys(from), keys)) {
      for (const k of keys) walk(from[k], to[k], [...path, k], out);
      return;
    }
  }
  out.push(path, to);
}

/**
 * `base` with the patch applied, copying only along changed paths (unchanged parts stay shared;
 * copies are frozen, values must come frozen). Throws when a path does not exist in `base`: the
 * patch was made against another value, which means the log is not what was written.
 */
export function applyPatch(base: unknown, patch: Patch): unknown {
  if (patch.length % 2 !== 0) throw new Error('patch has an odd number of items');
  let result = base;
  for (let i = 0; i < patch.length; i += 2) {
    const path = patch[i];
    if (!Array.isArray(path)) throw new Error(`patch path ${i / 2} is not an array`);
    result = setIn(result, path, 0, patch[i + 1]);
  }
  return result;
}

function setIn(node: unknown, path: unknown[], depth: number, value: unknown): unknown {
  if (depth === path.length) return value;
  const key = path[depth];
  if (Array.isArray(node)) {
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key >= node.length) {
      throw new Error(`patch path ${JSON.stringify(path)}: no index ${String(key)}`);
    }
    const copy = node.slice();
    copy[key] = setIn(node[key], path, depth + 1, value);
    return Object.freeze(copy);
  }
  if (isPlainObject(node) && typeof key === 'string' && Object.hasOwn(node, key)) {
    const copy: Record<string, unknown> = Object.getPrototypeOf(node) === null ? Object.create(null) : {};
    for (const k of Object.keys(node)) {
      // defineProperty, not assignment: a key named "__proto__" must stay a plain key.
      const v = k === key ? setIn(node[k], path, depth + 1, value) : node[k];
      Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return Object.freeze(copy);
  }
  throw new Error(`patch path ${JSON.stringify(path)}: no key ${JSON.stringify(key)}`);
}
