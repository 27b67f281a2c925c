// Users and access (issue 16): a server's directory, its users and groups and their roles.
// Each change answers the server's new overview; the server's own errors come back as they are.
import type { AccessOverview, DomainJoin } from '../access';

export interface AccessChannels {
  /** the Users tab: directory, subjects with roles, the roles, and the logged-in user's own access */
  'access:overview': { args: [serverId: string]; result: AccessOverview };
  /** joins the server to a directory (XAPI pool.enable_external_auth with AD); the password is sent once, never kept */
  'access:joinDomain': { args: [serverId: string, join: DomainJoin]; result: AccessOverview };
  'access:leaveDomain': { args: [serverId: string]; result: AccessOverview };
  /** lets a directory user or group (DOMAIN\name) log in with a role */
  'access:addSubject': { args: [serverId: string, name: string, role: string]; result: AccessOverview };
  /** gives the subject exactly this role */
  'access:setRole': { args: [serverId: string, subjectId: string, role: string]; result: AccessOverview };
  'access:removeSubject': { args: [serverId: string, subjectId: string]; result: AccessOverview };
  /** ends the subject's open sessions (XAPI session.logout_subject_identifier) */
  'access:logout': { args: [serverId: string, subjectId: string]; result: AccessOverview };
}

export const ACCESS_CHANNELS: Record<keyof AccessChannels, true> = {
  'access:overview': true,
  'access:joinDomain': true,
  'access:leaveDomain': true,
  'access:addSubject': true,
  'access:setRole': true,
  'access:removeSubject': true,
  'access:logout': true,
};
