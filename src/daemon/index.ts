// Daemon face. Filled in by the foundation work (config, pidfile, gRPC server, signals).
export async function runDaemon(_args: string[]): Promise<void> {
  throw new Error('isulad: not built yet');
}
