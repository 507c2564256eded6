// runtime.v1.RuntimeService Exec, Attach, PortForward: check the target, then answer the
// streaming server's single-use URL (stream/server.ts serves it).
import type { RuntimeServiceHandlers } from '../generated/runtime/v1/RuntimeService.ts';
import type { PodService } from '../../services/pods/service.ts';
import { failedPrecondition, invalidArgument } from '../../util/errors.ts';
import { unary } from '../handler.ts';
import type { StreamServer } from './stream/server.ts';

export function criStreamingHandlers(pods: PodService, streams: StreamServer): Partial<RuntimeServiceHandlers> {
  const running = (id: string) => {
    const v = pods.findContainer(id);
    if (v.state !== 1) throw failedPrecondition(`container ${v.id} is not running`);
    return v;
  };
  return {
    Exec: unary('Exec', async (req) => {
      const v = running(req.container_id);
      if (req.cmd.length === 0) throw invalidArgument('Exec: cmd is empty');
      if (!req.stdin && !req.stdout && !req.stderr) throw invalidArgument('Exec: one of stdin, stdout and stderr is required');
      if (req.tty && req.stderr) throw invalidArgument('Exec: tty and stderr cannot both be true');
      return { url: streams.url({ kind: 'exec', containerId: v.id, cmd: req.cmd, tty: req.tty, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr }) };
    }),
    Attach: unary('Attach', async (req) => {
      const v = running(req.container_id);
      if (!req.stdin && !req.stdout && !req.stderr) throw invalidArgument('Attach: one of stdin, stdout and stderr is required');
      return { url: streams.url({ kind: 'attach', containerId: v.id, tty: req.tty, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr }) };
    }),
    PortForward: unary('PortForward', async (req) => {
      pods.portForwardNetns(req.pod_sandbox_id);
      const sb = pods.findSandbox(req.pod_sandbox_id);
      return { url: streams.url({ kind: 'portforward', sandboxId: sb.id, ports: req.port }) };
    }),
  };
}
