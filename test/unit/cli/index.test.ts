// The CLI framework without a daemon: dispatch, help, flag and argument errors, exit codes.
import '../../helpers/proto-text-hooks.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, type CliIo } from '../../../src/cli/index.ts';
import { COMMANDS } from '../../../src/cli/commands-table.ts';

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env };
  const code = await runCli(argv, io);
  return { code, out, err };
}

test('no arguments and --help print the command list', async () => {
  for (const argv of [[], ['--help']]) {
    const r = await cli(argv);
    assert.equal(r.code, 0);
    assert.match(r.out, /^USAGE:\n\tisula <command> \[args\.\.\.\]\n\nCOMMANDS:\n/);
    for (const name of Object.keys(COMMANDS)) assert.match(r.out, new RegExp(`\\n  ${name} +\\S`));
  }
});

test('--version and -v print the client version', async () => {
  for (const f of ['--version', '-v']) {
    const r = await cli([f]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Version \S+, commit \S+\n$/);
  }
});

test('an unknown command exits 127 with iSulad-style hint', async () => {
  const r = await cli(['nosuch']);
  assert.equal(r.code, 127);
  assert.equal(r.err, 'isula: command "nosuch" not found\nSee "isula --help".\n');
});

test('an Object.prototype name is not a command', async () => {
  assert.equal((await cli(['constructor'])).code, 127);
  assert.equal((await cli(['toString'])).code, 127);
});

test('global flags before the command are parsed; a bad one exits 125', async () => {
  const r = await cli(['--bogus', 'version']);
  assert.equal(r.code, 125);
  assert.match(r.err, /Unkown flag found:'--bogus'/);
});

test('command help shows usage, description and the global options', async () => {
  const r = await cli(['-H', 'unix:///x.sock', 'version', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^\nUsage:  isula version \[OPTIONS\]\n\nDisplay information about isula\n\n/);
  assert.match(r.out, /  -H, --host +Daemon socket/);
});

test('argument count errors exit 125', async () => {
  const r = await cli(['info', 'x']);
  assert.equal(r.code, 125);
  assert.match(r.err, /"isula info" requires 0 arguments\./);
});

test('an invalid host is an argument error, not a crash', async () => {
  const r = await cli(['info'], { ISULAD_HOST: 'http://nope' });
  assert.equal(r.code, 125);
  assert.match(r.err, /invalid host "http:\/\/nope"/);
});
