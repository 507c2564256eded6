// A bare HTTP/2 gRPC client that behaves like grpc-go before 1.53 on a unix socket: it waits for
// the server's SETTINGS before its first request and sends the socket path (or any value) as
// `:authority`, with the header block written by hand (incremental indexing, so the second
// request refers to the first one's dynamic table entries). Node's own client cannot do this
// (it sends requests before the server's SETTINGS arrive).
//
//   const r = await rawGrpcCalls(sock, { path: '/runtime.v1.RuntimeService/Version', authority: sock, calls: 2 });
//   r[0].grpcStatus === '0', r[0].data is the response message (without the 5-byte prefix)
import { connect } from 'node:net';
import { HpackDecoder } from '../../src/util/hpack.ts';

export interface RawCallResult {
  status?: string;
  grpcStatus?: string;
  grpcMessage?: string;
  /** RST_STREAM error code, if the server reset the stream */
  rst?: number;
  /** GOAWAY error code, if the server ended the connection */
  goaway?: number;
  data: Buffer;
}

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

function frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(9);
  h.writeUIntBE(payload.length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(stream, 5);
  return Buffer.concat([h, payload]);
}

function str(s: string): Buffer {
  const b = Buffer.from(s, 'latin1');
  if (b.length >= 127) throw new Error('test strings stay short');
  return Buffer.concat([Buffer.from([b.length]), b]);
}

export async function rawGrpcCalls(
  sock: string,
  opts: { path: string; authority: string; message?: Buffer; calls?: number; timeoutMs?: number },
): Promise<RawCallResult[]> {
  const calls = opts.calls ?? 1;
  const msg = opts.message ?? Buffer.alloc(0);
  const body = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), msg]);
  body.writeUInt32BE(msg.length, 1);
  // First block: :method POST (static 3), :scheme http (static 6), then four literals with
  // incremental indexing; the dynamic table becomes te(62) content-type(63) :authority(64) :path(65).
  const first = Buffer.concat([
    Buffer.from([0x83, 0x86, 0x44]), str(opts.path),
    Buffer.from([0x41]), str(opts.authority),
    Buffer.from([0x40]), str('content-type'), str('application/grpc'),
    Buffer.from([0x40]), str('te'), str('trailers'),
  ]);
  const again = Buffer.from([0x83, 0x86, 0x80 | 65, 0x80 | 64, 0x80 | 63, 0x80 | 62]);
  const results: RawCallResult[] = Array.from({ length: calls }, () => ({ data: Buffer.alloc(0) }));
  const decoder = new HpackDecoder();
  const s = connect(sock);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer within ${opts.timeoutMs ?? 10_000} ms: ${JSON.stringify(results)}`));
    }, opts.timeoutMs ?? 10_000);
    let buf = Buffer.alloc(0);
    let sent = false;
    let done = 0;
    const finish = (_id: number) => {
      if (++done < calls) return;
      clearTimeout(timer);
      s.end();
      resolve(results);
    };
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on('connect', () => s.write(Buffer.concat([PREFACE, frame(4, 0, 0, Buffer.alloc(0))])));
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 9) {
        const len = buf.readUIntBE(0, 3);
        if (buf.length < 9 + len) break;
        const type = buf[3]!;
        const flags = buf[4]!;
        const id = buf.readUInt32BE(5) & 0x7fffffff;
        const payload = buf.subarray(9, 9 + len);
        buf = buf.subarray(9 + len);
        const r = id ? results[(id - 1) / 2] : undefined;
        if (type === 4 && !(flags & 1)) {
          s.write(frame(4, 1, 0, Buffer.alloc(0)));
          if (!sent) {
            sent = true;
            for (let i = 0; i < calls; i++) {
              s.write(frame(1, 0x4, 1 + 2 * i, i === 0 ? first : again));
              s.write(frame(0, 0x1, 1 + 2 * i, body));
            }
          }
        } else if (type === 1 && r) {
          for (const f of decoder.decode(payload)) {
            if (f.name === ':status') r.status = f.value;
            if (f.name === 'grpc-status') r.grpcStatus = f.value;
            if (f.name === 'grpc-message') r.grpcMessage = f.value;
          }
          if (flags & 1) finish(id);
        } else if (type === 0 && r) {
          r.data = Buffer.concat([r.data, payload]);
          if (flags & 1) finish(id);
        } else if (type === 3 && r) {
          r.rst = payload.readUInt32BE(0);
          finish(id);
        } else if (type === 6 && !(flags & 1)) {
          s.write(frame(6, 1, 0, payload));
        } else if (type === 7) {
          for (const x of results) if (x.status === undefined && x.rst === undefined) x.goaway = payload.readUInt32BE(4);
          clearTimeout(timer);
          s.destroy();
          resolve(results);
          return;
        }
      }
    });
  }).then((r) => {
    for (const x of r as RawCallResult[]) if (x.data.length >= 5) x.data = x.data.subarray(5);
    return r as RawCallResult[];
  });
}
