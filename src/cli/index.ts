// CLI face. Filled in by the foundation work (global flags, command table, client).
export async function runCli(_args: string[]): Promise<number> {
  process.stderr.write('isula: not built yet\n');
  return 1;
}
