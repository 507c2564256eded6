// --log-driver syslog: the syslog-tag template and the target the runtime's log copier feeds
// (runtime/syslog.ts). iSulad's placeholders: {{.ID}} (12 characters), {{.FullID}}, {{.Name}},
// {{.ImageID}} (12), {{.ImageFullID}}, {{.ImageName}}, {{.DaemonName}} ("iSulad"); anything else
// in braces is refused at create with iSulad's words. Default tag: the short id (docker's);
// default facility: daemon.
import { invalidArgument } from '../../util/errors.ts';
import type { SyslogTarget } from '../../runtime/syslog.ts';

export interface TagFacts {
  id: string;
  name: string;
  imageId: string;
  imageName: string;
}

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

function tagMap(f: TagFacts): Record<string, string> {
  const img = f.imageId.replace(/^sha256:/, '');
  return {
    '.ID': f.id.slice(0, 12), '.FullID': f.id, '.Name': f.name, '.ImageID': img.slice(0, 12),
    '.ImageFullID': img, '.ImageName': f.imageName, '.DaemonName': 'iSulad',
  };
}

/** The tag with its placeholders replaced; an unknown one is refused. Pure. */
export function expandSyslogTag(tag: string, f: TagFacts): string {
  const m = tagMap(f);
  return tag.replace(PLACEHOLDER, (whole, key: string) => {
    const v = m[key];
    if (v === undefined) throw invalidArgument(`container syslog tag: unsupport: ${tag}`);
    return v;
  });
}

/** The runtime's syslog target for a container's LogConfig, or undefined for other drivers. */
export function syslogTargetOf(log: { Type: string; Config: Record<string, string> }, f: TagFacts): SyslogTarget | undefined {
  if (log.Type !== 'syslog') return undefined;
  const tag = log.Config['syslog-tag'];
  const address = log.Config['syslog-address']?.replace(/^unix(gram)?:\/\//, '');
  return {
    tag: tag === undefined || tag === '' ? f.id.slice(0, 12) : expandSyslogTag(tag, f),
    facility: log.Config['syslog-facility'] || 'daemon',
    ...(address ? { address } : {}),
  };
}
