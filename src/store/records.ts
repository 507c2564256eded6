// The in-memory state: one Map per record kind, insertion-ordered, values frozen. Replay at open,
// group commits and snapshots all go through apply().
import type { AppliedOp } from './codec.ts';
import { applyPatch } from './patch.ts';
import type { RecordKind } from './types.ts';

export interface Entry {
  value: unknown;
  /** encoded size of the put op, for the live-bytes estimate */
  size: number;
}

export class Records {
  readonly byKind = new Map<RecordKind, Map<string, Entry>>();
  /** estimated bytes a snapshot of the current state would take */
  liveBytes = 0;

  /**
   * Applies one frame's ops, all or nothing: patches are resolved against the state (including the
   * frame's earlier ops) before anything changes. Throws when a patch does not fit the record it
   * names, which means the log is not what was written.
   */
  applyAll(ops: AppliedOp[]): void {
    const staged = new Map<string, Entry | undefined>();
    const resolved = ops.map((op): AppliedOp => {
      if (op.type !== 'patch') {
        staged.set(`${op.kind}\0${op.id}`, op.type === 'put' ? { value: op.value, size: op.size } : undefined);
        return op;
      }
      const key = `${op.kind}\0${op.id}`;
      const base = staged.has(key) ? staged.get(key) : this.byKind.get(op.kind)?.get(op.id);
      if (!base) throw new Error(`patch for missing ${op.kind} ${JSON.stringify(op.id)}`);
      const entry = { value: applyPatch(base.value, op.patch), size: op.size ?? base.size };
      staged.set(key, entry);
      return { type: 'put', kind: op.kind, id: op.id, value: entry.value, size: entry.size };
    });
    for (const op of resolved) this.apply(op);
  }

  apply(op: AppliedOp): void {
    let m = this.byKind.get(op.kind);
    const old = m?.get(op.id);
    switch (op.type) {
      case 'put':
        if (!m) this.byKind.set(op.kind, (m = new Map()));
        this.liveBytes += op.size - (old?.size ?? 0);
        m.set(op.id, { value: op.value, size: op.size });
        return;
      case 'patch': {
        if (!m || !old) throw new Error(`patch for missing ${op.kind} ${JSON.stringify(op.id)}`);
        const size = op.size ?? old.size;
        const value = applyPatch(old.value, op.patch);
        this.liveBytes += size - old.size;
        m.set(op.id, { value, size });
        return;
      }
      case 'delete':
        if (m && old) {
          this.liveBytes -= old.size;
          m.delete(op.id);
        }
        return;
    }
  }

  has(kind: RecordKind, id: string): boolean {
    return this.byKind.get(kind)?.has(id) ?? false;
  }

  get(kind: RecordKind, id: string): unknown {
    return this.byKind.get(kind)?.get(id)?.value;
  }

  list(kind: RecordKind): unknown[] {
    const m = this.byKind.get(kind);
    return m ? Array.from(m.values(), (e) => e.value) : [];
  }

  ids(kind: RecordKind): string[] {
    const m = this.byKind.get(kind);
    return m ? Array.from(m.keys()) : [];
  }
}
