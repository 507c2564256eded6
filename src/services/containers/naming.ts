// Container ids (64 hex, like iSulad) and names (default: the id), and lookup by id, name or a
// unique id prefix.
import { randomBytes } from 'node:crypto';
import { conflict, invalidArgument, notFound } from '../../util/errors.ts';
import type { ContainerRecord } from './types.ts';

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const ID_RE = /^[a-f0-9]{1,64}$/;

export function newContainerId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = randomBytes(32).toString('hex');
    // docker avoids all-numeric short ids (they read like numbers in scripts)
    if (/^[0-9]{12}/.test(id) || taken(id)) continue;
    return id;
  }
}

export function validateName(name: string, what = 'container name'): void {
  if (!NAME_RE.test(name)) {
    throw invalidArgument(`Invalid ${what} (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-]+ are allowed`);
  }
}

export function nameConflict(name: string, ownerId: string) {
  return conflict(
    `Conflict. The name "${name}" is already in use by container ${ownerId}. You have to remove (or rename) that container to be able to reuse that name.`,
  );
}

/** Exact id, then exact name, then a unique id prefix. */
export function findContainer(records: readonly ContainerRecord[], ref: string): ContainerRecord {
  const r = ref.startsWith('/') ? ref.slice(1) : ref;
  if (r === '') throw invalidArgument('container name or id is empty');
  let byPrefix: ContainerRecord | undefined;
  let ambiguous = false;
  for (const c of records) {
    if (c.Id === r) return c;
    if (c.Name === r) return c;
    if (c.Id.startsWith(r)) {
      if (byPrefix) ambiguous = true;
      byPrefix = c;
    }
  }
  if (ambiguous) throw invalidArgument(`Multiple IDs found with provided prefix: ${r}`);
  if (byPrefix) return byPrefix;
  // iSulad: a reference that is neither an id nor a valid name is reported as such (still "not found")
  if (!ID_RE.test(r) && !NAME_RE.test(r)) throw notFound(`Invalid container name: ${r}`);
  throw notFound(`No such container: ${r}`);
}

/**
 * Names taken by creates and renames in flight, from the check to the commit, so two of them
 * cannot take one name. The only owner of those reservations.
 */
export class NameReservations {
  readonly #byName = new Map<string, string>();

  /** Reserves `name` for `id`, or throws the name conflict (a record or a reservation has it); call the result to release. */
  reserve(name: string, id: string, records: readonly ContainerRecord[]): () => void {
    const owner = records.find((c) => c.Name === name)?.Id ?? this.#byName.get(name);
    if (owner) throw nameConflict(name, owner);
    this.#byName.set(name, id);
    return () => {
      if (this.#byName.get(name) === id) this.#byName.delete(name);
    };
  }
}
