import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate, renderTemplate } from '../../../../src/cli/format/template.ts';
import { EngineError } from '../../../../src/util/errors.ts';

const obj = { Id: 'abc', State: { Status: 'running', Pid: 42, Running: true }, Config: { Cmd: ['sh', '-c'] }, Nil: null };
const cases = [
  { tpl: '{{.Id}}', want: 'abc' },
  { tpl: '{{.State.Status}}', want: 'running' },
  { tpl: '{{ .State.Pid }}', want: '42' },
  { tpl: '{{.State.Running}}', want: 'true' },
  { tpl: '{{json .State.Status}}', want: '"running"' },
  { tpl: '{{json .Config.Cmd}}', want: '["sh","-c"]' },
  { tpl: '{{.Config.Cmd}}', want: '["sh","-c"]' },
  { tpl: '{{.Missing}}', want: '<no value>' },
  { tpl: '{{.State.Missing.Deeper}}', want: '<no value>' },
  { tpl: '{{.Nil}}', want: '<nil>' },
  { tpl: 'id={{.Id}} pid={{.State.Pid}}', want: 'id=abc pid=42' },
  { tpl: '{{.Id}}\\t{{.State.Pid}}', want: 'abc\t42' },
  { tpl: '{{json .}}', want: JSON.stringify(obj) },
];
for (const c of cases) test(`render ${c.tpl}`, () => assert.equal(parseTemplate(c.tpl).render(obj), c.want));

const bad = ['{{.Id', '{{range .X}}', '{{.A | upper}}', '{{Id}}', '{{.1x}}'];
for (const b of bad) {
  test(`refuses ${b}`, () => assert.throws(() => parseTemplate(b), (e: unknown) => e instanceof EngineError && e.kind === 'invalid-argument'));
}

test('table templates get a header row and aligned columns', () => {
  const tpl = parseTemplate('table {{.ID}}\\t{{.Names}}');
  assert.equal(tpl.table, true);
  const out = renderTemplate(tpl, [{ ID: '0123456789ab', Names: 'web' }, { ID: 'f', Names: 'db' }], { ID: 'CONTAINER ID', Names: 'NAMES' });
  assert.equal(out, 'CONTAINER ID   NAMES\n0123456789ab   web\nf              db\n');
});

test('non-table templates print one line per row, no header', () => {
  const out = renderTemplate(parseTemplate('{{.ID}}'), [{ ID: 'a' }, { ID: 'b' }]);
  assert.equal(out, 'a\nb\n');
});

test('a header falls back to the upper-cased field path', () => {
  assert.equal(parseTemplate('table {{.Pid}}').header({}), 'PID');
});
