import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate, renderTemplate } from '../../../../src/cli/format/template.ts';
import { alignTabbed } from '../../../../src/cli/format/table.ts';
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

test('table rows rendered as cells are the rendered lines cut at tabs: empty cells, text around fields, a value holding a tab', () => {
  const rows = [
    { A: 'x', B: 'y', C: 'z' },
    { A: '', B: 'two\tcells', C: 'é' },
    { A: 'long value here', B: '', C: { n: 1 } },
    { A: 'a' },
  ];
  for (const src of ['table {{.A}}\\t{{.B}}\\t{{.C}}', 'table [{{.A}}]\\t\\t<{{.B}}>{{.C}}\\t', 'table \\t{{.A}} {{.B}}\\tend', 'table {{json .C}}\\t{{.A}}']) {
    const tpl = parseTemplate(src);
    const byLines = alignTabbed([tpl.header({ A: 'COL A' }), ...rows.map((r) => tpl.render(r))]);
    assert.equal(renderTemplate(tpl, rows, { A: 'COL A' }), byLines, src);
  }
  assert.equal(parseTemplate('table {{.A}}\\t{{.B}}').cells({ A: 'a', B: 'b\tc' }), undefined);
  assert.deepEqual(parseTemplate('table {{.A}}\\t\\t{{.B}}').cells({ A: 'a', B: 'b' }), ['a', '', 'b']);
});
