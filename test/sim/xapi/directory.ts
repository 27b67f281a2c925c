// The directory an Active Directory-joined simulator answers for (pool.enable_external_auth
// with auth_type AD): a domain, the account allowed to join it, users (with passwords and
// groups) and groups, defined by each test. Subject identifiers are SIDs under one domain
// SID, and other_config is what xapi's AD plugin fills (subject-name DOMAIN\name, subject-upn,
// subject-is-group, subject-account-disabled …).

export interface DirectoryUser {
  name: string;
  password: string;
  displayName?: string;
  /** group names (without the domain) */
  groups?: string[];
  disabled?: boolean;
}

export interface SimDirectory {
  /** the DNS name a client joins (service_name), e.g. corp.example.com */
  domain: string;
  /** the NetBIOS name in DOMAIN\user, e.g. CORP */
  netbios: string;
  /** the account allowed to join machines to the domain */
  joinUser: string;
  joinPassword: string;
  users: DirectoryUser[];
  groups: string[];
}

export interface DirectoryEntry {
  sid: string;
  name: string;
  kind: 'user' | 'group';
  user?: DirectoryUser;
}

const DOMAIN_SID = 'S-1-5-21-1004336348-1177238915-682003330';

/** The directory's entries, each with a stable SID (users from RID 1100, groups from RID 2100). */
export function directoryEntries(dir: SimDirectory): DirectoryEntry[] {
  return [
    ...dir.users.map((user, i): DirectoryEntry => ({ sid: `${DOMAIN_SID}-${1100 + i}`, name: user.name, kind: 'user', user })),
    ...dir.groups.map((name, i): DirectoryEntry => ({ sid: `${DOMAIN_SID}-${2100 + i}`, name, kind: 'group' })),
  ];
}

/** Finds `DOMAIN\name`, `name@domain` or a bare `name` (case-insensitive, as AD compares). */
export function resolveName(dir: SimDirectory, subjectName: string): DirectoryEntry | undefined {
  const plain = bareName(dir, subjectName);
  if (plain === undefined) return undefined;
  return directoryEntries(dir).find((e) => e.name.toLowerCase() === plain.toLowerCase());
}

function bareName(dir: SimDirectory, text: string): string | undefined {
  const slash = text.indexOf('\\');
  if (slash >= 0) {
    const domain = text.slice(0, slash).toLowerCase();
    return domain === dir.netbios.toLowerCase() || domain === dir.domain.toLowerCase() ? text.slice(slash + 1) : undefined;
  }
  const at = text.lastIndexOf('@');
  if (at >= 0) return text.slice(at + 1).toLowerCase() === dir.domain.toLowerCase() ? text.slice(0, at) : undefined;
  return text;
}

export function entryBySid(dir: SimDirectory, sid: string): DirectoryEntry | undefined {
  return directoryEntries(dir).find((e) => e.sid === sid);
}

/** The groups a subject belongs to (SIDs): the non-reflexive membership closure xapi asks for. */
export function groupSids(dir: SimDirectory, entry: DirectoryEntry): string[] {
  if (entry.kind !== 'user') return [];
  const names = new Set((entry.user?.groups ?? []).map((g) => g.toLowerCase()));
  return directoryEntries(dir)
    .filter((e) => e.kind === 'group' && names.has(e.name.toLowerCase()))
    .map((e) => e.sid);
}

/** other_config of a subject as xapi's AD plugin reports it (get_subject_information_from_identifier). */
export function subjectInformation(dir: SimDirectory, entry: DirectoryEntry): Record<string, string> {
  const common = { 'subject-name': `${dir.netbios}\\${entry.name}`, 'subject-sid': entry.sid, 'subject-gid': String(1_659_370_000 + rid(entry.sid)) };
  if (entry.kind === 'group') return { ...common, 'subject-is-group': 'true' };
  const disabled = entry.user?.disabled ? 'TRUE' : 'FALSE';
  return {
    ...common,
    'subject-is-group': 'false',
    'subject-uid': String(1_659_372_000 + rid(entry.sid)),
    'subject-gecos': entry.user?.displayName ?? entry.name,
    'subject-displayname': entry.user?.displayName ?? entry.name,
    'subject-upn': `${entry.name}@${dir.domain}`,
    'subject-account-disabled': disabled,
    'subject-account-locked': 'FALSE',
    'subject-account-expired': 'FALSE',
    'subject-password-expired': 'FALSE',
  };
}

function rid(sid: string): number {
  return Number(sid.slice(sid.lastIndexOf('-') + 1));
}
