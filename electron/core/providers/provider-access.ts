// Users and access (issue 16, descriptor facet `access`): the logged-in session's own
// access, read at login, and the Users tab's reads and changes. Each change is checked by
// the server itself; its refusal comes back with the server's code.
import type { AccessOverview, DomainJoin, SessionAccess } from '../../../shared/access';

export interface ProviderAccess {
  /** what the logged-in user may do, read when the connection opened; undefined before */
  session(): SessionAccess | undefined;
  /** the directory, its subjects with their roles, the roles, and the session's access read again */
  overview(): Promise<Omit<AccessOverview, 'serverId'>>;
  /** the password goes to the server once; it is never logged, kept or echoed in an error */
  joinDomain(join: DomainJoin): Promise<void>;
  leaveDomain(): Promise<void>;
  /** resolves DOMAIN\name in the directory and lets it log in with the role */
  addSubject(name: string, role: string): Promise<void>;
  setRole(subjectId: string, role: string): Promise<void>;
  removeSubject(subjectId: string): Promise<void>;
  logout(subjectId: string): Promise<void>;
}
