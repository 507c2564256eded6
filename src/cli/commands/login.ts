// isula login [-u USER] [-p PASS | --password-stdin] SERVER. The password never needs to be in
// the command line: --password-stdin, or a prompt without echo on a terminal. -p works (iSulad has
// it) but warns, since other users can read it from ps.
import type { Command, CommandContext } from '../command.ts';
import { flagBool, flagString } from '../flags.ts';
import { invalidArgument } from '../../util/errors.ts';
import { callUnary, connectImages } from '../lib/image-client.ts';

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Reads one line from the terminal; `secret` turns echo off. */
function prompt(ctx: CommandContext, label: string, secret: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    ctx.err(label);
    let buf = '';
    const raw = secret && stdin.isTTY;
    if (raw) stdin.setRawMode(true);
    const finish = (err?: Error) => {
      stdin.off('data', onData);
      if (raw) stdin.setRawMode(false);
      stdin.pause();
      if (secret) ctx.err('\n');
      if (err) reject(err);
      else resolve(buf);
    };
    const onData = (d: Buffer) => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(invalidArgument('interrupted'));
        if (ch === '\u007f') buf = buf.slice(0, -1);
        else buf += ch;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

export const command: Command = {
  name: 'login',
  usage: '[OPTIONS] SERVER',
  description: 'Log in to a Docker registry',
  flags: [
    { long: 'username', short: 'u', kind: 'string', description: 'Username' },
    { long: 'password', short: 'p', kind: 'string', description: 'Password' },
    { long: 'password-stdin', kind: 'bool', description: 'Take the password from stdin' },
  ],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const server = ctx.args[0] as string;
    let username = flagString(ctx.flags, 'username') ?? '';
    let password = flagString(ctx.flags, 'password') ?? '';
    const fromStdin = flagBool(ctx.flags, 'password-stdin');
    if (fromStdin && password !== '') throw invalidArgument('--password and --password-stdin are mutually exclusive');
    if (fromStdin && username === '') throw invalidArgument('Must provide --username with --password-stdin');
    if (password !== '') ctx.err('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
    if (fromStdin) password = await readAllStdin();
    if (username === '' && process.stdin.isTTY) username = (await prompt(ctx, 'Username: ', false)).trim();
    if (password === '' && !fromStdin && process.stdin.isTTY) password = await prompt(ctx, 'Password: ', true);
    if (username === '' || password === '') throw invalidArgument('Missing username or password');
    const conn = await connectImages(ctx);
    try {
      await callUnary(conn, conn.client.Login, { server, username, password });
      ctx.err('Login Succeeded\n');
      return 0;
    } finally {
      conn.close();
    }
  },
};
