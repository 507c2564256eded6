// A real CRI client for integration tests: runtime.v1.RuntimeService and ImageService over the
// daemon's unix socket with grpc-js, as kubelet or crictl would call them (no crictl needed).
//
//   const cri = await criClient(d.sock);
//   const v = await cri.runtime('Version', {});
//   await cri.image('PullImage', { image: { image: 'registry.k8s.io/pause:3.9' } });
//   cri.close();
import './proto-text-hooks.ts';
import * as grpc from '@grpc/grpc-js';

type Msg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CriClient {
  runtime(method: string, req: Msg, timeoutMs?: number): Promise<Msg>;
  image(method: string, req: Msg, timeoutMs?: number): Promise<Msg>;
  /** a server stream of RuntimeService (GetContainerEvents) */
  runtimeStream(method: string, req: Msg): grpc.ClientReadableStream<Msg>;
  close(): void;
}

export interface CriError extends Error {
  code: grpc.status;
  details: string;
}

export async function criClient(sock: string): Promise<CriClient> {
  const { criGrpc } = await import('./grpc-clients.ts');
  const g = criGrpc();
  const creds = grpc.credentials.createInsecure();
  const rt = new g.runtime.v1.RuntimeService(`unix://${sock}`, creds) as unknown as grpc.Client;
  const im = new g.runtime.v1.ImageService(`unix://${sock}`, creds) as unknown as grpc.Client;
  const call = (c: grpc.Client, method: string, req: Msg, timeoutMs = 120_000): Promise<Msg> =>
    new Promise((resolve, reject) => {
      const fn = (c as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
      if (typeof fn !== 'function') return reject(new Error(`no method ${method}`));
      fn.call(c, req, { deadline: Date.now() + timeoutMs }, (err: grpc.ServiceError | null, res: Msg) => (err ? reject(err) : resolve(res)));
    });
  return {
    runtime: (m, req, t) => call(rt, m, req, t),
    image: (m, req, t) => call(im, m, req, t),
    runtimeStream: (m, req) => (rt as unknown as Record<string, (r: Msg) => grpc.ClientReadableStream<Msg>>)[m]!.call(rt, req),
    close: () => {
      rt.close();
      im.close();
    },
  };
}

/** Calls an RPC that must fail; resolves to its grpc error. */
export async function criFails(p: Promise<unknown>): Promise<CriError> {
  try {
    await p;
  } catch (err) {
    return err as CriError;
  }
  throw new Error('the call succeeded, an error was expected');
}
