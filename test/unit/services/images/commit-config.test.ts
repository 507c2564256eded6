import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges, committedConfig, imageRuntimeConfigOf, splitWords } from '../../../../src/services/images/commit-config.ts';
import type { CommitRuntimeConfig } from '../../../../src/services/images/commit-config.ts';
import { parseGetfattrFiles } from '../../../../src/storage/overlay/changes.ts';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;

const runtime = (over: Partial<CommitRuntimeConfig> = {}): CommitRuntimeConfig => ({
  User: '', Env: ['PATH=/bin'], Cmd: ['sh'], Entrypoint: [], WorkingDir: '', Labels: {}, Volumes: {}, StopSignal: 'SIGTERM', ...over,
});

describe('splitWords', () => {
  for (const [input, want] of [
    ['a b  c', ['a', 'b', 'c']],
    ['k="a b" j=\'c d\'', ['k=a b', 'j=c d']],
    ['x="say \\"hi\\""', ['x=say "hi"']],
    ['a\\ b', ['a b']],
    ['', []],
  ] as Array<[string, string[]]>) {
    test(JSON.stringify(input), () => assert.deepEqual(splitWords(input), want));
  }
  test('an unmatched quote is an error', () => assert.throws(() => splitWords('a "b'), /unmatched/));
});

describe('applyChanges (-c)', () => {
  const rows: Array<[string, string[], object]> = [
    ['CMD exec form', ['CMD ["echo","hi"]'], { Cmd: ['echo', 'hi'] }],
    ['CMD shell form', ['CMD echo hi'], { Cmd: ['/bin/sh', '-c', 'echo hi'] }],
    ['ENTRYPOINT resets CMD', ['CMD x', 'ENTRYPOINT ["/e"]'], { Entrypoint: ['/e'], Cmd: null }],
    ['ENV k=v replaces and adds', ['ENV PATH=/x A="1 2"'], { Env: ['PATH=/x', 'A=1 2'] }],
    ['ENV legacy form', ['ENV A hello world'], { Env: ['PATH=/bin', 'A=hello world'] }],
    ['LABEL', ['LABEL a=1 "b"=2'], { Labels: { a: '1', b: '2' } }],
    ['EXPOSE with protocols and ranges', ['EXPOSE 80 53/udp 8000-8001'], { ExposedPorts: { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {} } }],
    ['USER', ['user nobody'], { User: 'nobody' }],
    ['WORKDIR relative to the last', ['WORKDIR /a', 'WORKDIR b'], { WorkingDir: '/a/b' }],
    ['VOLUME both forms', ['VOLUME ["/v1"]', 'VOLUME /v2 /v3'], { Volumes: { '/v1': {}, '/v2': {}, '/v3': {} } }],
    ['STOPSIGNAL', ['STOPSIGNAL SIGINT'], { StopSignal: 'SIGINT' }],
    ['ONBUILD', ['ONBUILD RUN x'], { OnBuild: ['RUN x'] }],
  ];
  for (const [name, changes, want] of rows) {
    test(name, () => {
      const got = applyChanges({ Env: ['PATH=/bin'] }, changes) as Record<string, unknown>;
      for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, k);
    });
  }
  test('an instruction commit does not accept is refused with docker\'s message', () => {
    assert.throws(() => applyChanges({}, ['RUN echo']), /RUN is not a valid change command/);
    assert.throws(() => applyChanges({}, ['EXPOSE 99999']), /invalid port/);
    assert.throws(() => applyChanges({}, ['ENV']), /requires at least one argument/);
  });
  test('the base is not modified', () => {
    const base = { Env: ['A=1'] };
    applyChanges(base, ['ENV A=2']);
    assert.deepEqual(base, { Env: ['A=1'] });
  });
});

describe('committedConfig', () => {
  const base = {
    architecture: 'amd64', os: 'linux', author: 'old', id: 'legacy', parent: 'legacy',
    config: { Env: ['PATH=/bin'], Cmd: ['sh'] }, rootfs: { type: 'layers' as const, diff_ids: [D1] },
    history: [{ created: '2020-01-01T00:00:00Z', created_by: 'ADD rootfs' }], custom: 'kept',
  };
  test('diff IDs and history grow by one; author, message and the container command are recorded', () => {
    const c = committedConfig({
      base, platform: { os: 'linux', architecture: 'amd64' }, containerId: 'c1', runtime: runtime({ Cmd: ['sh', '-c', 'touch /x'] }),
      createdBy: 'sh -c touch /x', diffId: D2, created: '2026-12-06T00:00:00Z', author: 'me <me@x>', message: 'added x', changes: ['CMD ["ls"]'],
    }) as Record<string, any>;
    assert.deepEqual(c.rootfs.diff_ids, [D1, D2]);
    assert.equal(c.history.length, 2);
    assert.deepEqual(c.history[1], { created: '2026-12-06T00:00:00Z', author: 'me <me@x>', created_by: 'sh -c touch /x', comment: 'added x' });
    assert.equal(c.author, 'me <me@x>');
    assert.equal(c.created, '2026-12-06T00:00:00Z');
    assert.equal(c.container, 'c1');
    assert.deepEqual(c.config.Cmd, ['ls']);
    assert.equal(c.custom, 'kept');
    assert.equal(c.id, undefined);
    assert.equal(c.parent, undefined);
  });
  test('no author: the base image\'s author is not carried over', () => {
    const c = committedConfig({ base, platform: { os: 'linux', architecture: 'amd64' }, containerId: 'c1', runtime: runtime(), createdBy: 'sh', diffId: D2, created: 'now' });
    assert.equal(c.author, undefined);
    assert.equal((c.history as object[]).length, 2);
  });
  test('a container without an image gets a one-layer config of the host platform', () => {
    const c = committedConfig({ base: undefined, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, containerId: 'c1', runtime: runtime(), createdBy: 'sh', diffId: D2, created: 'now' }) as Record<string, any>;
    assert.deepEqual(c.rootfs, { type: 'layers', diff_ids: [D2] });
    assert.equal(c.architecture, 'arm64');
    assert.equal(c.variant, 'v8');
  });
  test('runtime config: empty fields left out, SIGTERM only when the base named a signal, ExitOnUnhealthy dropped', () => {
    assert.deepEqual(imageRuntimeConfigOf(runtime(), undefined), { Env: ['PATH=/bin'], Cmd: ['sh'] });
    assert.equal(imageRuntimeConfigOf(runtime(), { StopSignal: 'SIGTERM' }).StopSignal, 'SIGTERM');
    assert.deepEqual(imageRuntimeConfigOf(runtime({ Healthcheck: { Test: ['NONE'], ExitOnUnhealthy: true } }), undefined).Healthcheck, { Test: ['NONE'] });
  });
});

describe('parseGetfattrFiles', () => {
  test('names with octal escapes, UTF-8 kept', () => {
    const out = '# file: d\ntrusted.overlay.opaque="y"\n\n# file: a\\134b\ntrusted.overlay.opaque="y"\n\n# file: n\\012l\n\n# file: é/x y\n';
    assert.deepEqual(parseGetfattrFiles(out), ['d', 'a\\b', 'n\nl', 'é/x y']);
  });
});
