// Completion scripts and isula(1) come from the command and flag tables: every command, every
// subcommand and every visible flag (with its short form) must appear in each, and the scripts
// must parse in their shells. The bash script is also run against a stand-in `isula` function to
// check what it completes where (names come from `isula ps/images/volume ls`).
import '../../helpers/proto-text-hooks.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { loadCliReference, argKindsFromUsage, leafName } = await import('../../../src/cli/reference.ts');
const { bashCompletion } = await import('../../../src/cli/completion/bash.ts');
const { zshCompletion } = await import('../../../src/cli/completion/zsh.ts');
const { fishCompletion } = await import('../../../src/cli/completion/fish.ts');
const { isulaManPage } = await import('../../../src/cli/man.ts');
const { isuladManPage } = await import('../../../src/daemon/man.ts');
const { DAEMON_FLAGS } = await import('../../../src/daemon/config.ts');
const { COMMANDS, MANAGEMENT_COMMANDS } = await import('../../../src/cli/commands-table.ts');
const { runCli } = await import('../../../src/cli/index.ts');

const ref = await loadCliReference();
const scripts = { bash: bashCompletion(ref), zsh: zshCompletion(ref), fish: fishCompletion(ref) };
const man = isulaManPage(ref, { version: '9.9.9', date: '2026-01-01' });

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

test('the reference holds every command of the table, management subcommands included', () => {
  const want = [...Object.keys(COMMANDS), ...Object.entries(MANAGEMENT_COMMANDS).flatMap(([g, grp]) => Object.keys(grp.subcommands).map((s) => `${g} ${s}`))].sort();
  assert.deepEqual(ref.commands.map((c) => c.name).sort(), want);
  assert.ok(ref.commands.find((c) => c.name === 'run')!.flags.some((f) => f.long === 'name'));
});

const cases = [
  { usage: '[OPTIONS] CONTAINER [CONTAINER...]', first: ['container'], rest: ['container'] },
  { usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]', first: ['image'], rest: [] },
  { usage: '[OPTIONS] CONTAINER|IMAGE [CONTAINER|IMAGE...]', first: ['container', 'image'], rest: ['container', 'image'] },
  { usage: '[OPTIONS] [CONTAINER...]', first: ['container'], rest: ['container'] },
  { usage: 'CONTAINER [ps OPTIONS]', first: ['container'], rest: [] },
  { usage: '[OPTIONS] VOLUME [VOLUME...]', first: ['volume'], rest: ['volume'] },
  { usage: '[OPTIONS] SERVER', first: [], rest: [] },
  { usage: '[OPTIONS]', first: [], rest: [] },
];
for (const c of cases) {
  test(`argument kinds of "${c.usage}"`, () => {
    assert.deepEqual(argKindsFromUsage(c.usage), { firstArg: c.first, restArgs: c.rest });
  });
}

for (const [shell, text] of Object.entries(scripts)) {
  test(`${shell} completion names every command and every flag`, () => {
    for (const c of ref.commands) {
      assert.ok(text.includes(leafName(c)), `${shell}: no command ${c.name}`);
      for (const f of [...c.flags, ...ref.globalFlags]) {
        const long = shell === 'fish' ? `-l ${f.long}` : `--${f.long}`;
        assert.ok(text.includes(long), `${shell}: ${c.name} lacks --${f.long}`);
        if (f.short) {
          const short = shell === 'fish' ? `-s ${f.short}` : `-${f.short}`;
          assert.ok(text.includes(short), `${shell}: ${c.name} lacks -${f.short}`);
        }
      }
    }
    for (const g of ref.groups) assert.ok(text.includes(g.name));
  });
}

test('bash completion: per-command flags in each command\'s case', () => {
  for (const c of ref.commands) {
    const block = scripts.bash.split(`\n    ${c.name.includes(' ') ? `'${c.name}'` : c.name})\n`)[1]?.split(';;')[0] ?? '';
    for (const f of c.flags) assert.ok(block.includes(`--${f.long}`), `bash case ${c.name} lacks --${f.long}`);
  }
});

// zsh and fish come from scripts/install-deps.sh; without them the test says it was skipped
// (it used to pass without checking anything)
for (const [shell, text] of Object.entries(scripts)) {
  test(`the ${shell} script parses (${shell} -n)`, { skip: has(shell) ? false : `${shell} not installed (scripts/install-deps.sh installs it)` }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'isula-completion-'));
    try {
      const file = join(dir, `isula.${shell}`);
      writeFileSync(file, text);
      const r = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${shell} -n: ${r.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('bash completion completes commands, flags and daemon names where the usage says', () => {
  const dir = mkdtempSync(join(tmpdir(), 'isula-completion-'));
  try {
    const file = join(dir, 'isula.bash');
    writeFileSync(file, scripts.bash);
    const probe = `
source ${file}
isula() {
  echo "$*" >> ${dir}/calls
  case "$*" in
    *"ps -a --format {{.Names}}") printf 'web\\ndb\\n' ;;
    *images) printf 'REPOSITORY TAG IMAGE ID\\nbusybox latest 1\\n<none> <none> 2\\n' ;;
    *"volume ls -q") echo data ;;
  esac
}
t() { COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _isula; echo "\${COMPREPLY[*]}"; }
t isula ru
t isula rm ''
t isula rm -f web ''
t isula run --name x ''
t isula run busybox ''
t isula volume ''
t isula volume rm ''
t isula --ho
t isula -H unix:///x.sock stop ''
t isula run --read-o
`;
    const r = spawnSync('bash', ['-c', probe], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(0, 10), [
      'run', 'web db', 'web db', 'busybox:latest', '', 'ls prune rm --help', 'data', '--host', 'web db', '--read-only',
    ]);
    const calls = spawnSync('cat', [join(dir, 'calls')], { encoding: 'utf8' }).stdout;
    assert.match(calls, /^-H unix:\/\/\/x\.sock ps -a --format \{\{\.Names\}\}$/m, 'the typed -H is passed on');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('isula(1) documents every command and flag', () => {
  assert.match(man, /^\.TH ISULA 1 "2026-01-01" "iSulad Edge 9\.9\.9"/);
  for (const c of ref.commands) {
    assert.ok(man.includes(`.SS isula ${c.name}\n`), `man: no ${c.name}`);
    for (const f of [...c.flags, ...ref.globalFlags]) {
      assert.ok(man.includes(`\\fB\\-\\-${f.long.replace(/-/g, '\\-')}\\fR`), `man: ${c.name} lacks --${f.long}`);
    }
  }
});

test('isulad(8) documents every daemon flag', () => {
  const page = isuladManPage({ version: '9.9.9', date: '2026-01-01' });
  assert.match(page, /^\.TH ISULAD 8 /);
  for (const f of DAEMON_FLAGS.filter((x) => !x.hidden)) {
    assert.ok(page.includes(`\\fB\\-\\-${f.long.replace(/-/g, '\\-')}\\fR`), `isulad(8) lacks --${f.long}`);
  }
});

test('man pages render without groff warnings', { skip: has('groff') ? false : 'groff not installed (scripts/install-deps.sh installs groff-base)' }, () => {
  for (const page of [man, isuladManPage({ version: '9.9.9', date: '2026-01-01' })]) {
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z'], { input: page, encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '', r.stderr);
  }
});

test('isula completion prints the script; an unknown shell is a usage error', async () => {
  let out = '';
  let err = '';
  const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s), env: {} };
  assert.equal(await runCli(['completion', 'bash'], io), 0);
  assert.equal(out, scripts.bash);
  assert.equal(await runCli(['completion', 'tcsh'], io), 125);
  assert.match(err, /unsupported shell "tcsh"/);
});
