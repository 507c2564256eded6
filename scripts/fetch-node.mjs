// Fetches the stock Node binary for one target from the npm registry (`npm pack`), checks the
// tarball against the sha512 pinned in targets/<name>.json, unpacks package/bin/node and prints
// its path. Cached under .cache/node/; a cached tarball is re-verified on every call.
// Usage: node scripts/fetch-node.mjs linux-x64
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function fetchNode(targetName) {
  const target = JSON.parse(readFileSync(join(root, 'targets', `${targetName}.json`), 'utf8'));
  const cache = join(root, '.cache', 'node');
  const dir = join(cache, `${target.nodeVersion}-${targetName}`);
  const tgz = join(cache, `${target.npmPackage}-${target.nodeVersion}.tgz`);
  mkdirSync(cache, { recursive: true });
  if (!existsSync(tgz)) {
    const args = ['pack', `${target.npmPackage}@${target.nodeVersion}`, '--pack-destination', cache, '--silent'];
    execFileSync('npm', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const got = 'sha512-' + createHash('sha512').update(readFileSync(tgz)).digest('base64');
  if (got !== target.integrity) {
    renameSync(tgz, tgz + '.bad');
    throw new Error(`${tgz}: integrity ${got} does not match the pin ${target.integrity}`);
  }
  const bin = join(dir, 'package', 'bin', 'node');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xzf', tgz, '-C', dir, 'package/bin/node']);
  }
  return bin;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(fetchNode(process.argv[2] ?? 'linux-x64') + '\n');
}
