// Progress display for pull and push: one bar per layer on a terminal (redrawn in place), and on
// anything else one plain line per layer status change, so logs stay readable.
import type { CommandContext } from '../command.ts';
import { formatImageSize } from '../format/size.ts';

export interface LayerProgress {
  status: string;
  layer: string;
  current: number;
  total: number;
}

const LABEL: Record<string, string> = {
  exists: 'Already exists',
  waiting: 'Waiting',
  downloading: 'Downloading',
  extracting: 'Extracting',
  done: 'Pull complete',
  mounted: 'Mounted from source',
  pushing: 'Pushing',
  pushed: 'Pushed',
};

const BAR = 30;

export function progressDisplay(ctx: CommandContext, tty: boolean = process.stderr.isTTY === true): { update(p: LayerProgress): void; done(): void } {
  const order: string[] = [];
  const state = new Map<string, LayerProgress>();
  const lastPlain = new Map<string, string>();
  let drawn = 0;
  let lastDraw = 0;
  const short = (d: string) => d.replace(/^sha\d+:/, '').slice(0, 12);
  const line = (p: LayerProgress) => {
    const label = LABEL[p.status] ?? p.status;
    if ((p.status !== 'downloading' && p.status !== 'pushing') || p.total <= 0) return `${short(p.layer)}: ${label}`;
    const filled = Math.min(BAR, Math.floor((p.current / p.total) * BAR));
    const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(BAR - filled)}]`;
    return `${short(p.layer)}: ${label} ${bar} ${formatImageSize(p.current)}/${formatImageSize(p.total)}`;
  };
  const redraw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    let out = drawn > 0 ? `\x1b[${drawn}A` : '';
    for (const id of order) out += `\r\x1b[K${line(state.get(id) as LayerProgress)}\n`;
    drawn = order.length;
    ctx.err(out);
  };
  return {
    update(p) {
      if (!p.layer) return;
      if (!state.has(p.layer)) order.push(p.layer);
      state.set(p.layer, p);
      if (tty) {
        redraw(p.status !== 'downloading' && p.status !== 'pushing');
        return;
      }
      if (lastPlain.get(p.layer) === p.status) return;
      lastPlain.set(p.layer, p.status);
      ctx.err(`${line({ ...p, total: 0 })}\n`);
    },
    done() {
      if (tty && order.length > 0) redraw(true);
    },
  };
}
