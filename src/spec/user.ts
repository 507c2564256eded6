// Resolves a docker-style user string ("name", "uid", "name:group", "uid:gid") against the
// rootfs's /etc/passwd and /etc/group texts, the way docker/iSulad do: a numeric uid that has no
// passwd entry is allowed (gid 0); a name that has none is an error; supplementary groups are the
// groups that list the user as a member.
import { invalidArgument } from '../util/errors.ts';

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home?: string;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

const isId = (s: string) => /^\d+$/.test(s);

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 4 || !isId(f[2] ?? '') || !isId(f[3] ?? '')) continue;
    out.push({ name: f[0] ?? '', uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '' });
  }
  return out;
}

export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 3 || !isId(f[2] ?? '')) continue;
    out.push({ name: f[0] ?? '', gid: Number(f[2]), members: (f[3] ?? '').split(',').filter((m) => m !== '') });
  }
  return out;
}

const MAX_ID = 2 ** 31 - 1;

export function resolveUser(spec: string, passwd: string, group: string): ResolvedUser {
  const [userPart = '', groupPart, ...rest] = spec.split(':');
  if (userPart === '' || rest.length > 0 || groupPart === '') throw invalidArgument(`invalid user "${spec}"`);
  const users = parsePasswd(passwd);
  const groups = parseGroup(group);

  const pw = isId(userPart) ? users.find((u) => u.uid === Number(userPart)) : users.find((u) => u.name === userPart);
  if (pw === undefined && !isId(userPart)) {
    throw invalidArgument(`unable to find user ${userPart}: no matching entries in passwd file`);
  }
  const uid = pw?.uid ?? Number(userPart);
  if (uid > MAX_ID) throw invalidArgument(`uid ${userPart} out of range`);
  let gid = pw?.gid ?? 0;
  if (groupPart !== undefined) {
    if (isId(groupPart)) gid = Number(groupPart);
    else {
      const g = groups.find((x) => x.name === groupPart);
      if (g === undefined) throw invalidArgument(`unable to find group ${groupPart}: no matching entries in group file`);
      gid = g.gid;
    }
    if (gid > MAX_ID) throw invalidArgument(`gid ${groupPart} out of range`);
  }
  // supplementary groups only come with a named passwd entry (docker: getent initgroups semantics)
  const additionalGids =
    pw === undefined ? [] : groups.filter((g) => g.members.includes(pw.name) && g.gid !== gid).map((g) => g.gid);
  return { uid, gid, additionalGids: [...new Set(additionalGids)], ...(pw !== undefined ? { home: pw.home } : {}) };
}

/**
 * The supplementary groups of a process run as `u`, as iSulad (and docker since CVE-2022-36109)
 * give them: the user's groups in /etc/group, then --group-add (gids, or names looked up in
 * `group`), then the primary gid itself, so a later newgrp cannot shed the user's own group. Root
 * gets no primary-gid entry (permission checks do not apply to it; it keeps lxc configs and
 * process specs of root containers unchanged). Pure.
 */
export function supplementaryGids(u: ResolvedUser, group: string, groupAdd: readonly string[] = []): number[] {
  const gids = [...u.additionalGids];
  const add = (g: number) => {
    if (!gids.includes(g)) gids.push(g);
  };
  if (groupAdd.length > 0) {
    const groups = parseGroup(group);
    for (const g of groupAdd) {
      const gid = isId(g) ? Number(g) : groups.find((e) => e.name === g)?.gid;
      if (gid === undefined) throw invalidArgument(`Unable to find group ${g}`);
      add(gid);
    }
  }
  if (u.uid !== 0) add(u.gid);
  return gids;
}
