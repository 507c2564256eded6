// The in-memory state: one Map per record kind, insertion-ordered, values frozen. Replay at open,
// group commits and snapshots all go through apply().
import type { AppliedOp } from './codec.ts';
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

  apply(op: AppliedOp): void {
    let m = this.byKind.get(op.kind);
    if (op.put) {
      if (!m) this.byKind.set(op.kind, (m = new Map()));
      const old = m.get(op.id);
      this.liveBytes += op.size - (old?.size ?? 0);
      m.set(op.id, { value: op.value, size: op.size });
    } else {
      const old = m?.get(op.id);
      if (old && m) {
        this.liveBytes -= old.size;
        m.delete(op.id);
      }
    }
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
