// Reads an image archive in one streaming pass: docker-save (manifest.json) or OCI image layout
// (index.json), plain or gzip'd. Small JSON members (manifests, configs, index) are kept in
// memory; every other member that looks like a layer is extracted straight into the layer
// store's staging area (stage()), because in many archives the layers come before the manifest
// that orders them. Nothing is visible until commit; unused staged layers are discarded.
import { PassThrough, Readable } from 'node:stream';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { TarReader } from '../../storage/tar/tar-reader.ts';
import { entryComponents } from '../../storage/tar/entry-path.ts';
import { AutoDecompress, detectCompression } from '../../storage/decompress.ts';
import type { LayerStager, StagedLayer } from '../../storage/types.ts';
import { invalidArgument, messageOf } from '../../util/errors.ts';

const MAX_JSON_MEMBER = 8 << 20;
const MAX_JSON_TOTAL = 64 << 20;

export type Stager = Pick<LayerStager, 'stage'>;

export type Member = { kind: 'json'; bytes: Buffer } | { kind: 'layer'; staged: StagedLayer } | { kind: 'failed'; error: unknown } | { kind: 'skipped' };

export interface ArchiveContents {
  /** by normalised member path */
  members: Map<string, Member>;
  /** discards every staged layer that was not committed */
  discard(): Promise<void>;
}

function looksLikeJson(first: Buffer): boolean {
  for (const b of first) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b || b === 0x5b; // { [
  }
  return false;
}

/** Reads every member of the archive; throws only for a broken outer archive. */
export async function readArchive(input: Readable, stager: Stager, signal?: AbortSignal, onBytes?: (n: number) => void): Promise<ArchiveContents> {
  const members = new Map<string, Member>();
  // the layer member being staged right now: when the archive breaks off in its middle, its
  // stager waits for bytes that never come unless it is told, and its staging dir stays behind
  let inFlight: { pt: PassThrough; staging: Promise<Member> } | undefined;
  const discard = async () => {
    if (inFlight) {
      const { pt, staging } = inFlight;
      inFlight = undefined;
      pt.destroy(new Error('the archive ended inside this layer'));
      const m = await staging;
      if (m.kind === 'layer') await m.staged.discard();
    }
    for (const m of members.values()) if (m.kind === 'layer') await m.staged.discard();
  };
  let jsonTotal = 0;
  const counting = async function* (src: AsyncIterable<Buffer>) {
    for await (const c of src) {
      onBytes?.(c.length);
      yield c;
    }
  };
  try {
    await pipeline(
      input,
      counting,
      new AutoDecompress(),
      async (src: AsyncIterable<Buffer>) => {
        const tar = new TarReader(src);
        for (;;) {
          signal?.throwIfAborted();
          const e = await tar.next();
          if (!e) break;
          if (e.type !== 'file') continue;
          const path = entryComponents(e.name).join('/');
          const m = await readMember(tar, e.size);
          const old = members.get(path);
          if (old?.kind === 'layer') await old.staged.discard(); // a repeated name: the last one wins
          members.set(path, m);
        }
      },
      signal ? { signal } : {},
    );
  } catch (err) {
    await discard();
    throw err;
  }
  return { members, discard };

  async function readMember(tar: TarReader, size: number): Promise<Member> {
    let decided: 'json' | 'layer' | 'skip' | undefined;
    const parts: Buffer[] = [];
    let pt: PassThrough | undefined;
    let staging: Promise<Member> | undefined;
    let stageDone = false;
    await tar.payload(async (chunk) => {
      if (decided === undefined) {
        if (looksLikeJson(chunk) && size <= MAX_JSON_MEMBER) decided = 'json';
        else if (size >= 512 || detectCompression(chunk) !== 'none') decided = 'layer';
        else decided = 'skip';
        if (decided === 'layer') {
          pt = new PassThrough();
          pt.on('error', () => {}); // the stager's pipeline reports it
          staging = stager.stage(pt, signal ? { signal } : {}).then(
            (staged): Member => ({ kind: 'layer', staged }),
            (error: unknown): Member => ({ kind: 'failed', error }),
          );
          inFlight = { pt, staging };
          void staging.then(() => {
            stageDone = true;
            pt?.emit('drain'); // unblock a writer waiting on a consumer that gave up
          });
        }
      }
      if (decided === 'json') {
        jsonTotal += chunk.length;
        if (jsonTotal > MAX_JSON_TOTAL) throw invalidArgument('archive holds too much metadata');
        parts.push(Buffer.from(chunk));
      } else if (decided === 'layer' && pt && !stageDone) {
        if (!pt.write(chunk)) await once(pt, 'drain').catch(() => {});
      }
    });
    if (decided === 'json') return { kind: 'json', bytes: Buffer.concat(parts) };
    if (decided === 'layer' && pt && staging) {
      pt.end();
      const m = await staging;
      inFlight = undefined;
      return m;
    }
    if (size === 0) return { kind: 'json', bytes: Buffer.alloc(0) };
    return { kind: 'skipped' };
  }
}

/** The member's bytes as JSON, or a clear error. */
export function memberJson<T>(c: ArchiveContents, path: string, what: string): T {
  const m = c.members.get(path);
  if (!m || m.kind !== 'json') throw invalidArgument(`${what} ${JSON.stringify(path)} not found in archive`);
  try {
    return JSON.parse(m.bytes.toString('utf8')) as T;
  } catch (err) {
    throw invalidArgument(`${what} ${JSON.stringify(path)} is not valid JSON: ${messageOf(err)}`);
  }
}

/** A member path named inside the archive (manifest Layers/Config), normalised; escapes refused. */
export function archivePath(name: unknown, what: string): string {
  if (typeof name !== 'string' || name === '') throw invalidArgument(`${what}: missing path`);
  try {
    return entryComponents(name).join('/');
  } catch (err) {
    throw invalidArgument(`${what} ${JSON.stringify(name)} points outside the archive`, { cause: err });
  }
}
