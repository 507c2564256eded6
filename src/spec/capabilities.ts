// Capability name handling for --cap-add/--cap-drop (ALL expands to every known capability).
import { invalidArgument } from '../util/errors.ts';

import { ALL_CAPS } from '../runtime/linux-caps.ts';

export { ALL_CAPS };

/** "net_admin", "NET_ADMIN", "CAP_NET_ADMIN" → "CAP_NET_ADMIN"; "ALL" stays "ALL". */
export function normalizeCap(name: string): string {
  const up = name.trim().toUpperCase();
  if (up === 'ALL') return 'ALL';
  const full = up.startsWith('CAP_') ? up : `CAP_${up}`;
  if (!(ALL_CAPS as readonly string[]).includes(full)) throw invalidArgument(`unknown capability: "${name}"`);
  return full;
}

/** Docker's order: drop first (ALL clears), then add (ALL fills). */
export function applyCapChanges(base: readonly string[], add: string[], drop: string[]): string[] {
  const a = add.map(normalizeCap);
  const d = drop.map(normalizeCap);
  let caps = d.includes('ALL') ? [] : base.filter((c) => !d.includes(c));
  if (a.includes('ALL')) caps = [...ALL_CAPS];
  else for (const c of a) if (!caps.includes(c)) caps.push(c);
  return caps;
}
