// isula(1), generated from the CLI reference (./reference.ts): the same command and flag tables
// that parse the command line and print --help. The package build writes it (scripts/package.mjs).

import { definitionList, flagList, manHeader, paragraph, roffText, section, subsection } from '../util/roff.ts';
import type { CliReference } from './reference.ts';

export function isulaManPage(ref: CliReference, meta: { version: string; date: string }): string {
  let s = manHeader({ name: 'isula', section: 1, date: meta.date, source: `iSulad Edge ${meta.version}`, manual: 'User Commands' });
  s += section('name') + 'isula \\- command line client of the iSulad Edge container engine\n';
  s += section('synopsis') + '\\fBisula\\fR [\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR...]\n';
  s += section('description');
  s += paragraph('isula talks to the isulad daemon over its gRPC socket to manage containers, images and volumes. ' +
    'isula is a symbolic link to the isulad executable; the program name picks the face.');
  s += section('global options') + paragraph('These options are accepted before or after the command name.');
  s += flagList([...ref.globalFlags, { long: 'version', short: 'v', kind: 'bool', description: 'Print version' }]);
  s += section('commands');
  for (const c of ref.commands) {
    s += subsection(`isula ${c.name}`);
    s += `\\fBisula ${roffText(c.name)}\\fR ${roffText(c.usage)}\n.PP\n${roffText(c.description)}\n`;
    if (c.flags.length > 0) s += `.PP\nOptions:\n.RS\n${flagList(c.flags)}.RE\n`;
  }
  if (ref.groups.length > 0) {
    s += section('management commands');
    s += definitionList(ref.groups.map((g) => [`isula ${g.name}`, `${g.description}: ${g.subcommands.join(', ')}`]));
  }
  s += section('environment');
  s += definitionList([
    ['ISULAD_HOST', 'daemon socket to connect to, as with -H (default unix:///var/run/isulad.sock)'],
    ['ISULAD_TLS, ISULAD_TLS_VERIFY', 'use TLS, and verify the daemon, as with --tls and --tlsverify'],
    ['ISULAD_CERT_PATH', 'directory of ca.pem, cert.pem and key.pem (default ~/.iSulad)'],
  ]);
  s += section('exit status');
  s += paragraph('0 on success; 1 on a general error; 125 when the arguments are wrong or the daemon fails the request; ' +
    '126 when the container command cannot be invoked; 127 when the command is not found. ' +
    'isula run, start and wait return the exit code of the container.');
  s += section('shell completion');
  s += paragraph('isula completion bash|zsh|fish prints a completion script, generated from the same command tables as this page.');
  s += section('see also') + '\\fBisulad\\fR(8)\n';
  return s;
}
