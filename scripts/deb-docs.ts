// Entry bundled by scripts/package-deb.mjs (with the build's own loaders, so the command modules and
// their protos load as in the executable): prints the completion scripts and the two man pages,
// generated from the CLI's and the daemon's flag tables, as one JSON object on stdout.
//   node docs.cjs <version> <YYYY-MM-DD>

async function main(): Promise<void> {
  const [version = '0.0.0', date = '1970-01-01'] = process.argv.slice(2);
  const { loadCliReference } = await import('../src/cli/reference.ts');
  const { bashCompletion } = await import('../src/cli/completion/bash.ts');
  const { zshCompletion } = await import('../src/cli/completion/zsh.ts');
  const { fishCompletion } = await import('../src/cli/completion/fish.ts');
  const { isulaManPage } = await import('../src/cli/man.ts');
  const { isuladManPage } = await import('../src/daemon/man.ts');
  const ref = await loadCliReference();
  const meta = { version, date };
  process.stdout.write(JSON.stringify({
    bash: bashCompletion(ref),
    zsh: zshCompletion(ref),
    fish: fishCompletion(ref),
    isula1: isulaManPage(ref, meta),
    isulad8: isuladManPage(meta),
  }));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
