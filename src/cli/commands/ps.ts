// isula ps [-a] [-q] [-n N] [-l] [--no-trunc] [-f key=value] [--format TEMPLATE]: columns and
// STATUS strings of iSulad (research/isulad.md §2.3); rows sorted by start time, newest first,
// never-started containers last.
import { invalidArgument } from '../../util/errors.ts';
import type { Container__Output } from '../../api/generated/containers/Container.ts';
import type { Command } from '../command.ts';
import { flagBool, flagList, flagNumber, flagString } from '../flags.ts';
import { humanDuration, timeAgo, upFor } from '../format/duration.ts';
import { charCount } from '../format/table.ts';
import { parseTemplate, renderTemplate } from '../format/template.ts';

const DEFAULT_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.Created}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

const HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  Created: 'CREATED',
  Status: 'STATUS',
  Ports: 'PORTS',
  Names: 'NAMES',
  Pid: 'PID',
  ExitCode: 'EXIT_CODE',
  RestartCount: 'RESTART_COUNT',
  StartAt: 'STARTAT',
  FinishAt: 'FINISHAT',
  Runtime: 'RUNTIME',
  State: 'STATE',
};

/** proto ContainerStatus → iSulad's state words (a never-started container is "inited", as in inspect) */
const STATE_NAMES: Record<number, string> = { 0: 'unknown', 1: 'inited', 2: 'starting', 3: 'running', 4: 'exited', 5: 'paused', 6: 'restarting' };

function ms(rfc3339: string): number {
  if (!rfc3339 || rfc3339.startsWith('0001-')) return 0;
  const t = Date.parse(rfc3339);
  return Number.isNaN(t) ? 0 : t;
}

export function statusText(c: Pick<Container__Output, 'status' | 'startat' | 'finishat' | 'exit_code'> & { health_state?: string }, now: number): string {
  switch (c.status) {
    case 1:
      return 'Created';
    case 2:
      return `Starting ${humanDuration(now - ms(c.startat))}`;
    case 3:
      return c.health_state ? `${upFor(ms(c.startat), now)} (${c.health_state})` : upFor(ms(c.startat), now);
    case 5:
      return `${upFor(ms(c.startat), now)} (Paused)`;
    case 6:
      return `Restarting (${c.exit_code}) ${timeAgo(ms(c.finishat), now)}`;
    case 4:
      return `Exited (${c.exit_code}) ${timeAgo(ms(c.finishat), now)}`;
    default:
      return 'Unknown';
  }
}

/** iSulad/docker: the command quoted, cut at 20 characters with "..." unless --no-trunc. */
export function commandText(cmd: string, noTrunc: boolean): string {
  const s = !noTrunc && charCount(cmd) > 20 ? `${[...cmd].slice(0, 17).join('')}...` : cmd;
  return `"${s}"`;
}

export interface PsRow {
  ID: string;
  Image: string;
  Command: string;
  Created: string;
  Status: string;
  Ports: string;
  Names: string;
  Pid: number;
  ExitCode: number;
  RestartCount: number;
  StartAt: string;
  FinishAt: string;
  Runtime: string;
  State: string;
}

export function psRow(c: Container__Output, now: number, noTrunc: boolean): PsRow {
  return {
    ID: noTrunc ? c.id : c.id.slice(0, 12),
    Image: c.image,
    Command: commandText(c.command, noTrunc),
    Created: timeAgo(Number(c.created) * 1000, now),
    Status: statusText(c, now),
    Ports: c.ports,
    Names: c.name,
    Pid: c.pid,
    ExitCode: c.exit_code,
    RestartCount: Number(c.restartcount),
    StartAt: c.startat,
    FinishAt: c.finishat,
    Runtime: c.runtime,
    State: STATE_NAMES[c.status] ?? 'unknown',
  };
}

/** `-f k=v` flags → the List filters map (several values of one key comma-joined). */
export function filtersFrom(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of list) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw invalidArgument(`Bad format of filter (expected name=value): ${f}`);
    const k = f.slice(0, eq).toLowerCase();
    out[k] = out[k] ? `${out[k]},${f.slice(eq + 1)}` : f.slice(eq + 1);
  }
  return out;
}

/** Newest start first; containers that never started go last, newest created first among them. */
export function sortForPs(rows: Container__Output[]): Container__Output[] {
  return [...rows].sort((a, b) => ms(b.startat) - ms(a.startat) || Number(b.created) - Number(a.created));
}

export const command: Command = {
  name: 'ps',
  usage: '[OPTIONS]',
  description: 'List containers',
  flags: [
    { long: 'all', short: 'a', kind: 'bool', description: 'Display all containers (default shows just running)' },
    { long: 'quiet', short: 'q', kind: 'bool', description: 'Only display numeric IDs' },
    { long: 'last', short: 'n', kind: 'int', description: 'Show n last created containers (includes all states)' },
    { long: 'latest', short: 'l', kind: 'bool', description: 'Show the latest created container (includes all states)' },
    { long: 'no-trunc', kind: 'bool', description: "Don't truncate output" },
    { long: 'filter', short: 'f', kind: 'list', description: 'Filter output based on conditions provided' },
    { long: 'format', kind: 'string', description: 'Format the output using the given go template' },
  ],
  args: { max: 0 },
  async run(ctx) {
    const f = ctx.flags;
    const last = flagBool(f, 'latest') ? 1 : flagNumber(f, 'last');
    if (last !== undefined && last < 0) throw invalidArgument(`Invalid value ${last} for flag --last`);
    const tpl = parseTemplate(flagString(f, 'format') ?? DEFAULT_FORMAT);
    const filters = filtersFrom(flagList(f, 'filter'));
    const c = await ctx.client();
    const res = await c.call('containers', 'List', { all: flagBool(f, 'all') || last !== undefined, filters });
    let list = res.containers;
    if (last !== undefined) list = [...list].sort((a, b) => Number(b.created) - Number(a.created)).slice(0, last);
    // iSulad: -n/-l keep the newest-created-first order; the start-time order is for the others
    if (last === undefined || flagBool(f, 'all')) list = sortForPs(list);
    const noTrunc = flagBool(f, 'no-trunc');
    if (flagBool(f, 'quiet')) {
      ctx.out(list.map((x) => `${noTrunc ? x.id : x.id.slice(0, 12)}\n`).join(''));
      return 0;
    }
    const now = Date.now();
    ctx.out(renderTemplate(tpl, list.map((x) => psRow(x, now, noTrunc)), HEADERS));
    return 0;
  },
};
