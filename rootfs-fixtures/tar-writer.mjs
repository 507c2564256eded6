// A tiny synchronous ustar/pax encoder for fixtures.
//
// Why not tar-stream's packer: fixtures must be byte-for-byte reproducible and some must be
// *malformed on purpose* (a header claiming terabytes followed by a few bytes, no end marker).
// Building the 512-byte blocks ourselves keeps both under our control, and being plain JS it runs
// on the system node (build.sh) and under node 24 (tests) alike.
//
// Entry fields: name, type ('file' | 'dir' | 'symlink' | 'link' | 'char' | 'block' | 'fifo'),
// mode, uid, gid, mtime (seconds), linkname, devmajor, devminor, pax (extra PAX records, e.g.
// { 'SCHILY.xattr.user.k': 'v' }), data (Buffer/string, files only) and claimedSize (header size
// when it must differ from data.length: hostile fixtures only).

const BLOCK = 512;
const TYPEFLAG = { file: '0', link: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' };

/** Octal field of `len` bytes (len-1 digits + NUL); base-256 when the value does not fit. */
function numField(buf, off, len, value) {
  const octal = value.toString(8);
  if (octal.length <= len - 1) {
    buf.write(octal.padStart(len - 1, '0'), off, 'ascii');
    return;
  }
  // GNU base-256: high bit of the first byte set, big-endian value in the rest.
  let v = BigInt(value);
  for (let i = off + len - 1; i > off; i--) {
    buf[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  buf[off] = 0x80;
}

function strField(buf, off, len, s) {
  buf.write(s, off, Math.min(len, Buffer.byteLength(s)), 'utf8');
}

/** One PAX record: "<len> key=value\n" where len counts itself. */
function paxRecord(key, value) {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function padding(size) {
  const rest = size % BLOCK;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK - rest);
}

function rawHeader({ name, typeflag, mode, uid, gid, size, mtime, linkname, devmajor, devminor }) {
  const h = Buffer.alloc(BLOCK);
  strField(h, 0, 100, name);
  numField(h, 100, 8, mode);
  numField(h, 108, 8, uid);
  numField(h, 116, 8, gid);
  numField(h, 124, 12, size);
  numField(h, 136, 12, mtime);
  h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  h.write(typeflag, 156, 'ascii');
  strField(h, 157, 100, linkname);
  h.write('ustar\u000000', 257, 'binary');
  numField(h, 329, 8, devmajor);
  numField(h, 337, 8, devminor);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\u0000 ', 148, 'binary');
  return h;
}

const fits = (s) => Buffer.byteLength(s) <= 100 && /^[\x20-\x7e]*$/.test(s);

/** Header block(s) for one entry: a PAX 'x' header first when needed (long names, xattrs). */
export function tarHeader(entry) {
  const type = entry.type ?? 'file';
  const typeflag = TYPEFLAG[type];
  if (typeflag === undefined) throw new Error(`tar-writer: unknown type ${type}`);
  const data = entry.data === undefined ? Buffer.alloc(0) : Buffer.from(entry.data);
  const name = type === 'dir' && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name;
  const linkname = entry.linkname ?? '';
  const common = {
    mode: entry.mode ?? (type === 'dir' ? 0o755 : 0o644),
    uid: entry.uid ?? 0,
    gid: entry.gid ?? 0,
    mtime: entry.mtime ?? 0,
    devmajor: entry.devmajor ?? 0,
    devminor: entry.devminor ?? 0,
  };
  const records = [];
  if (!fits(name)) records.push(paxRecord('path', name));
  if (!fits(linkname)) records.push(paxRecord('linkpath', linkname));
  for (const [k, v] of Object.entries(entry.pax ?? {})) records.push(paxRecord(k, v));
  const parts = [];
  if (records.length > 0) {
    const body = Buffer.from(records.join(''), 'utf8');
    const paxName = `PaxHeaders/${name.replace(/\/$/, '').split('/').pop()}`.slice(0, 100);
    parts.push(rawHeader({ ...common, name: paxName, typeflag: 'x', size: body.length, linkname: '' }));
    parts.push(body, padding(body.length));
  }
  const size = entry.claimedSize ?? (type === 'file' ? data.length : 0);
  parts.push(rawHeader({
    ...common,
    name: fits(name) ? name : name.slice(0, 100),
    linkname: fits(linkname) ? linkname : linkname.slice(0, 100),
    typeflag,
    size,
  }));
  return Buffer.concat(parts);
}

/** Header, data and padding of one entry. */
export function tarEntry(entry) {
  const data = entry.data === undefined ? Buffer.alloc(0) : Buffer.from(entry.data);
  return Buffer.concat([tarHeader(entry), data, padding(data.length)]);
}

/** The two zero blocks that end an archive. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

/** A whole archive, entries in the given order (callers sort when they want determinism). */
export function tarArchive(entries) {
  return Buffer.concat([...entries.map(tarEntry), TAR_END]);
}
