// ImagesService handlers: decode → images service → encode. Load and Import read the archive
// from the client stream (or, when the first message names a file and no data follows, from that
// daemon-side path); Save streams the archive back in chunks.
import { Readable, Writable } from 'node:stream';
import type { ImagesServiceHandlers } from '../generated/images/ImagesService.ts';
import type { Image } from '../generated/images/Image.ts';
import type { ImageService } from '../../services/images/image-service.ts';
import type { ImageRecord } from '../../image/types.ts';
import { parseFilterArgs } from '../../services/images/list-filter.ts';
import type { ImageFilters } from '../../services/images/list-filter.ts';
import { clientStream, serverStream, unary } from '../handler.ts';
import type { StreamWriter } from '../handler.ts';
import { CC_SUCCESS } from '../status.ts';
import { invalidArgument } from '../../util/errors.ts';

export function imageFrom(r: ImageRecord): Image {
  return {
    name: r.names[0] ?? '',
    labels: { ...(r.config.config?.Labels ?? {}) },
    target: { media_type: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${r.id}`, size: String(r.size) },
    created_at: r.created,
    updated_at: r.loaded,
    id: r.id,
    repo_tags: [...r.names],
    repo_digests: [...r.digests],
    size: String(r.size),
  };
}

interface StreamedUpload {
  file: string;
  data: Buffer | Uint8Array;
}

/**
 * The archive of a Load/Import client stream: the first message's fields, and a Readable of the
 * data that follows, or the daemon-side path it names when the stream carries no data at all
 * (the service opens it: handlers never touch the disk).
 */
async function upload<T extends StreamedUpload>(input: AsyncIterable<T>): Promise<{ first: T; stream: Readable | { path: string } }> {
  const it = input[Symbol.asyncIterator]();
  const head = await it.next();
  if (head.done) throw invalidArgument('empty request stream');
  const first = head.value;
  let firstData = first.data && first.data.length > 0 ? Buffer.from(first.data) : undefined;
  let second: IteratorResult<T> | undefined;
  if (!firstData) {
    second = await it.next();
    if (second.done) {
      if (!first.file) throw invalidArgument('no archive data and no file');
      return { first, stream: { path: first.file } };
    }
    firstData = Buffer.from(second.value.data ?? []);
  }
  async function* rest(): AsyncGenerator<Buffer> {
    if (firstData && firstData.length > 0) yield firstData;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      if (r.value.data && r.value.data.length > 0) yield Buffer.from(r.value.data);
    }
  }
  return { first, stream: Readable.from(rest(), { objectMode: false }) };
}

function filtersOf(req: { filters?: Record<string, string>; filter_args?: string[] }): ImageFilters {
  const out = parseFilterArgs(req.filter_args ?? []);
  for (const [k, v] of Object.entries(req.filters ?? {})) {
    const parsed = parseFilterArgs([`${k}=${v}`]);
    for (const [pk, pv] of Object.entries(parsed)) (out[pk] ??= []).push(...pv);
  }
  return out;
}

/** A Writable that forwards chunks as SaveImageResponse messages, honouring backpressure. */
function messageSink(out: StreamWriter<{ data: Buffer }>): Writable {
  const w = new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _enc, cb) {
      out.write({ data: chunk }).then(() => cb(), cb);
    },
  });
  w.on('error', () => {}); // a cancelled call rejects the write; the service reports it
  return w;
}

// The registry RPCs (PullImage, PushImage, Login, Logout, Search) live in ./registry.ts.
export function imageHandlers(deps: { images: ImageService }): Omit<ImagesServiceHandlers, 'PullImage' | 'PushImage' | 'Login' | 'Logout' | 'Search'> {
  const images = deps.images;
  return {
    List: unary('List', async (req) => ({ images: images.list(filtersOf(req)).map(imageFrom), cc: CC_SUCCESS, errmsg: '' })),
    Delete: unary('Delete', async (req) => {
      await images.remove(req.name, req.force);
      return { name: req.name, cc: CC_SUCCESS, errmsg: '' };
    }),
    Inspect: unary('Inspect', async (req) => ({ ImageJSON: JSON.stringify(images.inspect(req.id)), cc: CC_SUCCESS, errmsg: '' })),
    Commit: unary('Commit', async (req, ctx) => {
      const img = await images.commit(req.container, req.repo, {
        author: req.author, message: req.message, changes: req.changes, pause: !req.no_pause, signal: ctx.signal,
      });
      return { id: img.id, cc: CC_SUCCESS, errmsg: '' };
    }),
    Tag: unary('Tag', async (req) => {
      await images.tag(req.src_name, req.dest_name);
      return { cc: CC_SUCCESS, errmsg: '' };
    }),
    Load: clientStream('Load', async (input, ctx) => {
      const { first, stream } = await upload(input);
      if (first.type !== '' && first.type !== 'docker' && first.type !== 'oci') throw invalidArgument(`unsupported image type ${JSON.stringify(first.type)}`);
      const loaded = await images.load(stream, { ...(first.tag ? { tag: first.tag } : {}), ...(first.platform ? { platform: first.platform } : {}), signal: ctx.signal });
      return { ids: loaded.map((i) => i.id), names: loaded.flatMap((i) => i.names), cc: CC_SUCCESS, errmsg: '' };
    }),
    Import: clientStream('Import', async (input, ctx) => {
      const { first, stream } = await upload(input);
      const img = await images.import(stream, first.tag, ctx.signal);
      return { id: img.id, cc: CC_SUCCESS, errmsg: '' };
    }),
    Save: serverStream('Save', async (req, out, ctx) => {
      await images.save(req.images, messageSink(out), ctx.signal);
    }),
  };
}
