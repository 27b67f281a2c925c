// The New VM wizard's cloud-init / guest customization fields: which the platform
// takes (its descriptor's customization facet), their problems and what is sent.
// Proxmox takes cloud-init's user, password, SSH keys, host name and IP; vSphere its
// Linux customization's host name, domain, time zone, IP and DNS servers.
import type { TFunction } from 'i18next';
import type { CloudInitField, CloudInitSpec, CustomizationFacet } from '../../../shared/guests';
import { isIpAddress, parseIpSetting } from '../../../shared/cloud-init';

export interface CustomizationDraft {
  ciUser: string;
  /** write-only: sent once with the create request, never kept after the wizard closes */
  ciPassword: string;
  ciSshKeys: string;
  ciHostname: string;
  ciIpConfig: string;
  ciDomain: string;
  ciTimeZone: string;
  /** DNS servers separated by commas or spaces */
  ciDns: string;
}

export type CustomizationField = 'ciHostname' | 'ciIpConfig' | 'ciDomain' | 'ciTimeZone' | 'ciDns';

export const emptyCustomization = (): CustomizationDraft => ({ ciUser: '', ciPassword: '', ciSshKeys: '', ciHostname: '', ciIpConfig: '', ciDomain: '', ciTimeZone: '', ciDns: '' });

/** The draft's field of each spec field. */
export const DRAFT_FIELD: Record<CloudInitField, keyof CustomizationDraft> = {
  user: 'ciUser',
  password: 'ciPassword',
  sshKeys: 'ciSshKeys',
  hostname: 'ciHostname',
  ipConfig: 'ciIpConfig',
  domain: 'ciDomain',
  timeZone: 'ciTimeZone',
  dnsServers: 'ciDns',
};

const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const TIME_ZONE = /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/;
const dnsList = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** The fields' problems, named by the label the page shows; nothing when no field is filled. */
export function customizationProblems(
  draft: CustomizationDraft,
  fields: CloudInitField[],
  facet: CustomizationFacet | undefined,
  t: TFunction,
  label: (field: CustomizationField) => string,
): Partial<Record<CustomizationField, string>> {
  const out: Partial<Record<CustomizationField, string>> = {};
  const spec = customizationSpecOf(draft, fields);
  if (spec.ipConfig !== undefined && !parseIpSetting(spec.ipConfig)) out.ciIpConfig = t('guests.problem.ipConfig', { field: label('ciIpConfig') });
  if (spec.hostname !== undefined && fields.includes('domain') && !HOST_NAME.test(spec.hostname)) out.ciHostname = t('guests.problem.hostName', { field: label('ciHostname') });
  if (spec.timeZone !== undefined && !TIME_ZONE.test(spec.timeZone)) out.ciTimeZone = t('guests.problem.timeZone', { field: label('ciTimeZone') });
  if (spec.dnsServers?.some((d) => !isIpAddress(d))) out.ciDns = t('guests.problem.ipAddresses', { field: label('ciDns') });
  if (Object.keys(spec).length) {
    for (const field of facet?.required ?? []) {
      const draftField = DRAFT_FIELD[field] as CustomizationField;
      if (spec[field] === undefined) out[draftField] = t('guests.problem.required', { field: label(draftField) });
    }
  }
  return out;
}

/** What the wizard sends: only the fields the platform takes, none left empty. */
export function customizationSpecOf(draft: CustomizationDraft, fields: CloudInitField[]): CloudInitSpec {
  const spec: CloudInitSpec = {};
  for (const field of fields) {
    const value = draft[DRAFT_FIELD[field]];
    const trimmed = field === 'password' ? value : value.trim();
    if (!trimmed) continue;
    if (field === 'dnsServers') spec.dnsServers = dnsList(trimmed);
    else spec[field] = trimmed;
  }
  return spec;
}
