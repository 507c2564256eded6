// Exact-size reads over an async iterable of chunks, without concatenating large payloads: the tar
// reader asks for 512-byte headers and streams file payloads chunk by chunk.
import { invalidArgument } from '../../util/errors.ts';

export class ByteSource {
  readonly #it: AsyncIterator<Buffer | Uint8Array | string>;
  #buf: Buffer = Buffer.alloc(0);
  #done = false;

  constructor(source: AsyncIterable<Buffer | Uint8Array | string>) {
    this.#it = source[Symbol.asyncIterator]();
  }

  async #fill(): Promise<boolean> {
    if (this.#done) return false;
    const r = await this.#it.next();
    if (r.done) {
      this.#done = true;
      return false;
    }
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    return true;
  }

  /** Exactly n bytes (n small), or undefined at a clean end; a short tail is an error. */
  async read(n: number): Promise<Buffer | undefined> {
    while (this.#buf.length < n) {
      if (!(await this.#fill())) {
        if (this.#buf.length === 0) return undefined;
        throw invalidArgument('unexpected end of tar stream');
      }
    }
    const out = this.#buf.subarray(0, n);
    this.#buf = this.#buf.subarray(n);
    return out;
  }

  /** True when nothing is left (a clean end here). */
  async atEnd(): Promise<boolean> {
    return this.#buf.length === 0 && !(await this.#fill());
  }

  /** Streams exactly n bytes to fn, chunk by chunk. */
  async stream(n: number, fn: (chunk: Buffer) => void | Promise<void>): Promise<void> {
    let left = n;
    while (left > 0) {
      if (this.#buf.length === 0 && !(await this.#fill())) throw invalidArgument('unexpected end of tar stream');
      const take = Math.min(left, this.#buf.length);
      const chunk = this.#buf.subarray(0, take);
      this.#buf = this.#buf.subarray(take);
      left -= take;
      await fn(chunk);
    }
  }

  /** Everything left, chunk by chunk. */
  async rest(fn: (chunk: Buffer) => void | Promise<void>): Promise<void> {
    for (;;) {
      if (this.#buf.length > 0) {
        const chunk = this.#buf;
        this.#buf = Buffer.alloc(0);
        await fn(chunk);
      }
      if (!(await this.#fill())) return;
    }
  }
}
