import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  flagBool, flagList, flagNumber, flagString, formatOptions, parseDuration, parseFlags, parseSize,
  type FlagSpec,
} from '../../../src/cli/flags.ts';
import { EngineError } from '../../../src/util/errors.ts';

const specs: FlagSpec[] = [
  { long: 'interactive', short: 'i', kind: 'bool', description: 'Keep STDIN open' },
  { long: 'tty', short: 't', kind: 'bool', description: 'Allocate a pseudo-TTY' },
  { long: 'name', short: 'n', kind: 'string', description: 'Name' },
  { long: 'env', short: 'e', kind: 'list', description: 'Env' },
  { long: 'label', short: 'l', kind: 'map', description: 'Labels', bareKeyOk: true },
  { long: 'log-opt', kind: 'map', description: 'Log options' },
  { long: 'time', kind: 'int', description: 'Seconds' },
  { long: 'weight', kind: 'u16', description: 'Weight' },
  { long: 'memory', short: 'm', kind: 'size', description: 'Memory' },
  { long: 'health-interval', kind: 'duration', description: 'Interval' },
];

test('long, short, = and separate values, grouped bools', () => {
  const p = parseFlags(specs, ['-it', '--name=web', '-e', 'A=1', '--env', 'B=2', '-m', '64m', '--time', '10', 'busybox']);
  assert.equal(flagBool(p, 'interactive'), true);
  assert.equal(flagBool(p, 'tty'), true);
  assert.equal(flagString(p, 'name'), 'web');
  assert.deepEqual(flagList(p, 'env'), ['A=1', 'B=2']);
  assert.equal(flagNumber(p, 'memory'), 64 * 1024 * 1024);
  assert.equal(flagNumber(p, 'time'), 10);
  assert.deepEqual(p.args, ['busybox']);
});

test('short value forms: -nweb, -n=web, and a value flag closing a group', () => {
  assert.equal(flagString(parseFlags(specs, ['-nweb']), 'name'), 'web');
  assert.equal(flagString(parseFlags(specs, ['-n=web']), 'name'), 'web');
  const p = parseFlags(specs, ['-itn', 'web']);
  assert.equal(flagString(p, 'name'), 'web');
  assert.equal(flagBool(p, 'tty'), true);
});

test('maps: k=v, repeated, bare keys only where allowed, values may hold =', () => {
  const p = parseFlags(specs, ['-l', 'a=1', '--label', 'b', '--log-opt', 'max-size=1m=x']);
  assert.deepEqual(p.values.get('label'), { a: '1', b: '' });
  assert.deepEqual(p.values.get('log-opt'), { 'max-size': '1m=x' });
  assert.throws(() => parseFlags(specs, ['--log-opt', 'novalue']), /Invalid value "novalue" for flag --log-opt/);
});

test('booleans take =value', () => {
  assert.equal(flagBool(parseFlags(specs, ['--tty=false']), 'tty'), false);
  assert.equal(flagBool(parseFlags(specs, ['-t=true']), 'tty'), true);
  assert.throws(() => parseFlags(specs, ['--tty=maybe']), /Invalid boolean value "maybe" for flag --tty/);
});

test('flags may follow arguments unless the command line starts', () => {
  const p = parseFlags(specs, ['c1', '-t', 'c2']);
  assert.deepEqual(p.args, ['c1', 'c2']);
  assert.equal(flagBool(p, 'tty'), true);
  const run = parseFlags(specs, ['-t', 'busybox', 'ls', '-l', '--name', 'x'], { stopAtFirstArg: true });
  assert.deepEqual(run.args, ['busybox', 'ls', '-l', '--name', 'x']);
  assert.equal(flagString(run, 'name'), undefined);
});

test('-- ends flags; a lone - is an argument', () => {
  const p = parseFlags(specs, ['--', '-t', '--name']);
  assert.deepEqual(p.args, ['-t', '--name']);
  assert.deepEqual(parseFlags(specs, ['-']).args, ['-']);
});

test('--help is noticed, not an error', () => {
  assert.equal(parseFlags(specs, ['--help']).help, true);
});

const errors = [
  { argv: ['--bogus'], msg: "Unkown flag found:'--bogus'" },
  { argv: ['-x'], msg: "Unkown flag found:'x'" },
  { argv: ['-itx'], msg: "Unkown flag found:'x'" },
  { argv: ['--name'], msg: 'Flag needs an argument: --name' },
  { argv: ['-n'], msg: 'Flag needs an argument: --name' },
  // number flags carry the conversion's errno text, as iSulad's CMD_SYSERROR prints it
  { argv: ['--time', 'ten'], msg: 'Invalid value "ten" for flag --time: Invalid argument' },
  { argv: ['--time', '1.5'], msg: 'Invalid value "1.5" for flag --time: Invalid argument' },
  { argv: ['--time', '99999999999999999999'], msg: 'Invalid value "99999999999999999999" for flag --time: Numerical result out of range' },
  { argv: ['--weight', '-1'], msg: 'Invalid value "-1" for flag --weight: Numerical result out of range' },
  { argv: ['--weight', '65536'], msg: 'Invalid value "65536" for flag --weight: Numerical result out of range' },
  { argv: ['--weight', 'x'], msg: 'Invalid value "x" for flag --weight: Invalid argument' },
  { argv: ['-m', '12q'], msg: 'Invalid value "12q" for flag --memory' },
  { argv: ['--health-interval', '10'], msg: 'Invalid value "10" for flag --health-interval' },
];
for (const c of errors) {
  test(`error: ${c.argv.join(' ')}`, () => {
    assert.throws(
      () => parseFlags(specs, c.argv),
      (e: unknown) => e instanceof EngineError && e.kind === 'invalid-argument' && e.message === c.msg,
    );
  });
}

const sizes = [
  { s: '100', want: 100 }, { s: '1k', want: 1024 }, { s: '64m', want: 64 << 20 }, { s: '64MB', want: 64 << 20 },
  { s: '1.5g', want: 1.5 * 1024 ** 3 }, { s: '10KiB', want: 10240 }, { s: '1b', want: 1 }, { s: '', want: undefined },
  { s: '-1', want: undefined }, { s: '1x', want: undefined },
];
for (const c of sizes) test(`parseSize(${JSON.stringify(c.s)})`, () => assert.equal(parseSize(c.s), c.want));

const durations = [
  { s: '10s', want: 10_000 }, { s: '1m30s', want: 90_000 }, { s: '100ms', want: 100 }, { s: '2h', want: 7_200_000 },
  { s: '1.5s', want: 1500 }, { s: '0', want: 0 }, { s: '10', want: undefined }, { s: 's', want: undefined }, { s: '', want: undefined },
];
for (const c of durations) test(`parseDuration(${JSON.stringify(c.s)})`, () => assert.equal(parseDuration(c.s), c.want));

test('formatOptions sorts by long name and aligns descriptions', () => {
  const text = formatOptions([
    { long: 'tty', short: 't', kind: 'bool', description: 'TTY' },
    { long: 'all', short: 'a', kind: 'bool', description: 'All' },
    { long: 'no-trunc', kind: 'bool', description: 'Do not truncate' },
  ]);
  assert.equal(text, '  -a, --all         All\n      --no-trunc    Do not truncate\n  -t, --tty         TTY\n');
});
