// isula stats [-a] [--no-stream] [--original] [CONTAINER...]: polls the Stats RPC once a second
// and redraws the table (clear screen + home on a terminal; one table after another otherwise).
// CPU % needs two samples, so --no-stream takes two, half a second apart, and prints once.
// --original prints one table of one sample and exits, as iSulad's client does (iSulad CI stats.sh).
import type { Container_info__Output } from '../../api/generated/containers/Container_info.ts';
import type { Command } from '../command.ts';
import { flagBool } from '../flags.ts';
import { formatOriginalTable, formatStatsTable } from '../format/stats.ts';

const STREAM_INTERVAL_MS = 1000;
const NO_STREAM_GAP_MS = 500;
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export const command: Command = {
  name: 'stats',
  usage: '[OPTIONS] [CONTAINER...]',
  description: 'Display a live stream of container(s) resource usage statistics',
  flags: [
    { long: 'all', short: 'a', kind: 'bool', description: 'Show all containers (default shows just running)' },
    { long: 'no-stream', kind: 'bool', description: 'Disable streaming stats and only pull the first result' },
    { long: 'original', kind: 'bool', description: 'Display original data' },
  ],
  args: { min: 0, max: -1 },
  async run(ctx) {
    const all = flagBool(ctx.flags, 'all');
    const original = flagBool(ctx.flags, 'original');
    const stream = !flagBool(ctx.flags, 'no-stream') && !original;
    const c = await ctx.client();
    const sample = async () => (await c.call('containers', 'Stats', { containers: ctx.args, all }, { signal: ctx.signal })).containers;
    const render = (cur: Container_info__Output[], prev: Map<string, Container_info__Output>) =>
      original ? formatOriginalTable(cur) : formatStatsTable(cur, prev);
    const byId = (list: Container_info__Output[]) => new Map(list.map((x) => [x.id, x]));

    if (!stream) {
      const first = original ? [] : await sample();
      if (!original) await sleep(NO_STREAM_GAP_MS, ctx.signal);
      ctx.out(render(await sample(), byId(first)));
      return 0;
    }
    const tty = process.stdout.isTTY === true;
    let prev = new Map<string, Container_info__Output>();
    while (!ctx.signal.aborted) {
      let cur: Container_info__Output[];
      try {
        cur = await sample();
      } catch (err) {
        if (ctx.signal.aborted) break;
        throw err;
      }
      ctx.out((tty ? CLEAR_SCREEN : '') + render(cur, prev));
      prev = byId(cur);
      await sleep(STREAM_INTERVAL_MS, ctx.signal);
    }
    return 0;
  },
};
