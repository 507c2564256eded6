// ps data: which containers to list (all, filters, last N) — the formatting is the CLI's job.
// Filter keys of iSulad: id, name, label, status, last_n.
import { invalidArgument } from '../../util/errors.ts';
import { listStatus } from './status.ts';
import type { ContainerRecord } from './types.ts';

export type ListFilters = Record<string, string[]>;

// iSulad takes its own word for a never-started container (inited) as well as docker's (created)
const STATUS_VALUES = new Set(['created', 'inited', 'running', 'paused', 'restarting', 'exited', 'dead']);

export function matchesFilters(rec: ContainerRecord, filters: ListFilters): boolean {
  for (const [key, values] of Object.entries(filters)) {
    if (values.length === 0) continue;
    const any = (pred: (v: string) => boolean) => values.some(pred);
    switch (key) {
      case 'id':
        if (!any((v) => rec.Id.startsWith(v))) return false;
        break;
      case 'name':
        // docker matches names by substring/regexp; iSulad by substring of the name
        if (!any((v) => rec.Name.includes(v))) return false;
        break;
      case 'label':
        if (
          !any((v) => {
            const eq = v.indexOf('=');
            if (eq < 0) return v in rec.Config.Labels;
            return rec.Config.Labels[v.slice(0, eq)] === v.slice(eq + 1);
          })
        ) {
          return false;
        }
        break;
      case 'status':
        if (!any((v) => listStatus(rec.State) === (v === 'inited' ? 'created' : v))) return false;
        break;
      case 'last_n':
        break;
      default:
        throw invalidArgument(`Invalid filter '${key}'`);
    }
  }
  return true;
}

export function validateFilters(filters: ListFilters): void {
  for (const [k, vs] of Object.entries(filters)) {
    if (k === 'status') for (const v of vs) if (!STATUS_VALUES.has(v)) throw invalidArgument(`Unrecognised filter value for status: ${v}`);
  }
}

/** Newest first (by Created), like docker; the CLI re-sorts by StartAt as iSulad does. */
export function listContainers(all: readonly ContainerRecord[], opts: { all?: boolean; filters?: ListFilters }): ContainerRecord[] {
  const filters = opts.filters ?? {};
  validateFilters(filters);
  const showAll = opts.all || (filters['status']?.length ?? 0) > 0;
  return all
    .filter((r) => (showAll || r.State.Running) && matchesFilters(r, filters))
    .sort((a, b) => (a.Created < b.Created ? 1 : a.Created > b.Created ? -1 : 0));
}
