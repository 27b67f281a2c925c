// The New VM wizard's customization fields: what each platform's facet takes, the
// problems named by field, and the spec sent (only the platform's fields, none empty).
import { describe, expect, it } from 'vitest';
import i18n from '../../renderer/src/i18n';
import { customizationFields } from '../../shared/cloud-init';
import { customizationProblems, customizationSpecOf, emptyCustomization } from '../../renderer/src/guests/customization-draft';
import { vsphereGuestsFacet } from '../../electron/core/providers/vsphere/guests-facet';

const t = i18n.getFixedT('en');
const label = (field: string) => field;
const vsphere = vsphereGuestsFacet.customization;
const vsphereFields = customizationFields(vsphereGuestsFacet);

describe('New VM wizard: guest customization fields', () => {
  it('sends only the fields the platform takes, DNS servers as a list', () => {
    const draft = { ...emptyCustomization(), ciUser: 'ops', ciHostname: ' web01 ', ciDomain: 'example.test', ciIpConfig: 'ip=10.0.0.5/24,gw=10.0.0.1', ciDns: '10.0.0.2, 10.0.0.3', ciTimeZone: '' };
    expect(customizationSpecOf(draft, vsphereFields)).toEqual({ hostname: 'web01', domain: 'example.test', ipConfig: 'ip=10.0.0.5/24,gw=10.0.0.1', dnsServers: ['10.0.0.2', '10.0.0.3'] });
    expect(customizationSpecOf(draft, customizationFields(undefined))).toEqual({ user: 'ops', hostname: 'web01', ipConfig: 'ip=10.0.0.5/24,gw=10.0.0.1' });
  });

  it('asks for what the platform cannot do without once any field is filled', () => {
    expect(customizationProblems(emptyCustomization(), vsphereFields, vsphere, t, label)).toEqual({});
    const problems = customizationProblems({ ...emptyCustomization(), ciHostname: 'web_01', ciDns: 'dns.example', ciTimeZone: 'Berlin time', ciIpConfig: '10.0.0.5' }, vsphereFields, vsphere, t, label);
    expect(Object.keys(problems).sort()).toEqual(['ciDns', 'ciDomain', 'ciHostname', 'ciIpConfig', 'ciTimeZone']);
    expect(problems.ciDomain).toContain('ciDomain');
  });
});
