// A small SPDY/3.1 client for integration tests of the CRI streaming server, speaking what
// client-go (via moby/spdystream) speaks: HTTP/1.1 upgrade with X-Stream-Protocol-Version, then
// SYN_STREAMs carrying streamtype (and port/requestid for port-forward) without HTTP headers.
//
//   const s = await spdyDial(url, 'v4.channel.k8s.io');
//   const err = s.open({ streamtype: 'error' }); const out = s.open({ streamtype: 'stdout' });
//   const text = await s.readAll(out);
import { connect, type Socket } from 'node:net';
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from '../../src/api/cri/stream/spdy-dictionary.ts';
import { encodeHeaderBlock } from '../../src/api/cri/stream/spdy.ts';

export interface ClientStream {
  id: number;
  chunks: Buffer[];
  ended: Promise<void>;
}

export interface SpdyClient {
  protocol: string;
  open(headers: Record<string, string>, fin?: boolean): ClientStream;
  write(s: ClientStream, data: Buffer | string, fin?: boolean): void;
  text(s: ClientStream): Promise<string>;
  close(): void;
}

export async function spdyDial(url: string, protocols: string[]): Promise<SpdyClient> {
  const u = new URL(url);
  const sock: Socket = connect(Number(u.port), u.hostname);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', () => resolve());
    sock.once('error', reject);
  });
  sock.write(
    `POST ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n` +
      protocols.map((p) => `X-Stream-Protocol-Version: ${p}\r\n`).join('') + '\r\n',
  );
  let buf = Buffer.alloc(0);
  const head = await new Promise<string>((resolve, reject) => {
    const onData = (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) return;
      sock.removeListener('data', onData);
      const h = buf.subarray(0, i).toString('latin1');
      buf = buf.subarray(i + 4);
      resolve(h);
    };
    sock.on('data', onData);
    sock.once('error', reject);
  });
  if (!head.startsWith('HTTP/1.1 101')) throw new Error(`no upgrade: ${head.split('\r\n')[0]}`);
  const protocol = /x-stream-protocol-version: *(\S+)/i.exec(head)?.[1] ?? '';
  const deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
  const streams = new Map<number, { s: ClientStream; end: () => void }>();
  let nextId = 1;
  let pending = Buffer.alloc(0);
  const onFrames = (c: Buffer) => {
    pending = Buffer.concat([pending, c]);
    while (pending.length >= 8) {
      const len = pending.readUInt32BE(4) & 0xffffff;
      if (pending.length < 8 + len) return;
      const flags = pending[4] as number;
      if (!((pending[0] as number) & 0x80)) {
        const e = streams.get(pending.readUInt32BE(0) & 0x7fffffff);
        if (e) {
          if (len > 0) e.s.chunks.push(Buffer.from(pending.subarray(8, 8 + len)));
          if (flags & 1) e.end();
        }
      } else if (pending.readUInt16BE(2) === 3) {
        streams.get(pending.readUInt32BE(8) & 0x7fffffff)?.end();
      }
      pending = pending.subarray(8 + len);
    }
  };
  sock.on('data', onFrames);
  sock.on('close', () => { for (const e of streams.values()) e.end(); });
  if (buf.length > 0) onFrames(buf);
  // header blocks must be compressed in order: queue them
  let queue: Promise<void> = Promise.resolve();
  const frame = (type: number, flags: number, body: Buffer) => {
    const h = Buffer.alloc(8);
    h.writeUInt16BE(0x8003, 0);
    h.writeUInt16BE(type, 2);
    h.writeUInt32BE(((flags & 0xff) << 24) | body.length, 4);
    return Buffer.concat([h, body]);
  };
  const data = (id: number, d: Buffer, fin: boolean) => {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(id, 0);
    h.writeUInt32BE(((fin ? 1 : 0) << 24) | d.length, 4);
    return Buffer.concat([h, d]);
  };
  return {
    protocol,
    open(headers, fin = false) {
      const id = nextId;
      nextId += 2;
      let end!: () => void;
      const s: ClientStream = { id, chunks: [], ended: new Promise<void>((r) => (end = r)) };
      streams.set(id, { s, end });
      queue = queue.then(
        () =>
          new Promise<void>((resolve) => {
            const out: Buffer[] = [];
            const onData = (c: Buffer) => out.push(c);
            deflate.on('data', onData);
            deflate.write(encodeHeaderBlock(headers));
            deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
              deflate.removeListener('data', onData);
              const idb = Buffer.alloc(10);
              idb.writeUInt32BE(id, 0);
              sock.write(frame(1, fin ? 1 : 0, Buffer.concat([idb, ...out])));
              resolve();
            });
          }),
      );
      return s;
    },
    write(s, d, fin = false) {
      queue = queue.then(() => { sock.write(data(s.id, Buffer.from(d), fin)); });
    },
    async text(s) {
      await s.ended;
      return Buffer.concat(s.chunks).toString('utf8');
    },
    close() {
      sock.destroy();
      deflate.destroy();
    },
  };
}
