// Reading what a vSphere endpoint answers: a SOAP envelope with the method's
// `returnval` or a fault, the ServiceContent, and the API versions document.
// Whatever arrives (HTML, truncated or invalid XML, a redirect, nesting past the
// parser's bound) becomes a value or a PolyvisorError that says what was wrong.

import { PolyvisorError } from '../../../../shared/errors';
import { faultError, readSoapFault } from './faults';
import type { HttpResponse } from './http';
import { child, childText, children, parseXml, readMoRef, text, type ManagedObjectReference, type XmlNode } from './xml';

export interface AboutInfo {
  name: string;
  fullName: string;
  version: string;
  build: string;
  apiType: string; // 'VirtualCenter' | 'HostAgent'
  apiVersion: string;
  instanceUuid: string;
}

export interface ServiceContent {
  rootFolder: ManagedObjectReference;
  /** roles and permissions, and the users and groups they name (issue 16); absent where the server has none */
  authorizationManager?: ManagedObjectReference;
  userDirectory?: ManagedObjectReference;
  propertyCollector: ManagedObjectReference;
  sessionManager: ManagedObjectReference;
  /** absent where the server has none (the Notifications view then reads no events or tasks) */
  eventManager?: ManagedObjectReference;
  taskManager?: ManagedObjectReference;
  /** custom attributes, where Polyvisor keeps tags (issue 16); a standalone ESXi host has none */
  customFieldsManager?: ManagedObjectReference;
  about: AboutInfo;
}

const badAnswer = (message: string, serverCode = 'BadResponse') => new PolyvisorError({ code: 'SERVER_ERROR', message, serverCode });

/** The `returnval` of `<method>Response` (undefined for void methods); a SOAP fault becomes its PolyvisorError. */
export function readSoapReturn(method: string, res: HttpResponse): XmlNode | undefined {
  if (res.status >= 300 && res.status < 400) {
    const location = [res.headers.location].flat()[0] ?? 'nowhere';
    throw badAnswer(`${method}: the server redirected the request to ${location}; the vSphere SDK does not move, so Polyvisor does not follow.`, `HTTP ${res.status}`);
  }
  let doc: Record<string, XmlNode>;
  try {
    doc = parseXml(res.body);
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new PolyvisorError(
      { code: 'SERVER_ERROR', message: `${method}: the server's answer is not readable XML (HTTP ${res.status}): ${detail}`, serverCode: `HTTP ${res.status}` },
      { cause: err },
    );
  }
  const soapBody = child(child(doc, 'Envelope'), 'Body');
  const fault = child(soapBody, 'Fault');
  if (fault !== undefined) throw faultError(readSoapFault(fault), method);
  if (soapBody === undefined) {
    const type = [res.headers['content-type']].flat()[0] ?? 'no content type';
    throw badAnswer(`${method}: the server answered HTTP ${res.status} without a SOAP envelope (${type}).`, `HTTP ${res.status}`);
  }
  if (res.status !== 200) throw badAnswer(`${method}: HTTP ${res.status} from the server`, `HTTP ${res.status}`);
  const response = child(soapBody, `${method}Response`);
  if (response === undefined) throw badAnswer(`${method}: the answer has no ${method}Response`);
  return typeof response === 'string' ? undefined : (response.returnval as XmlNode | undefined);
}

export function readServiceContent(node: XmlNode | undefined): ServiceContent {
  const ref = (name: string): ManagedObjectReference => {
    const r = readMoRef(child(node, name));
    if (!r) throw badAnswer(`ServiceContent without ${name}`);
    return r;
  };
  const about = child(node, 'about');
  const field = (name: string) => text(child(about, name))?.trim() ?? '';
  return {
    rootFolder: ref('rootFolder'),
    propertyCollector: ref('propertyCollector'),
    sessionManager: ref('sessionManager'),
    ...optionalRefs(node, ['eventManager', 'taskManager', 'authorizationManager', 'userDirectory', 'customFieldsManager']),
    about: {
      name: field('name'),
      fullName: field('fullName'),
      version: field('version'),
      build: field('build'),
      apiType: field('apiType'),
      apiVersion: field('apiVersion'),
      instanceUuid: field('instanceUuid'),
    },
  };
}

type OptionalManager = 'eventManager' | 'taskManager' | 'authorizationManager' | 'userDirectory' | 'customFieldsManager';

function optionalRefs(node: XmlNode | undefined, names: OptionalManager[]): Partial<Record<OptionalManager, ManagedObjectReference>> {
  const out: Partial<Record<OptionalManager, ManagedObjectReference>> = {};
  for (const name of names) {
    const r = readMoRef(child(node, name));
    if (r) out[name] = r;
  }
  return out;
}

/** The urn:vim25 version that `/sdk/vimServiceVersions.xml` advertises; null when the document says none. */
export function readAdvertisedVersion(body: string): string | null {
  let doc: Record<string, XmlNode>;
  try {
    doc = parseXml(body);
  } catch {
    // an unreadable versions document is no answer: the caller falls back to ServiceContent's apiVersion
    return null;
  }
  const ns = children(child(doc, 'namespaces'), 'namespace').find((n) => childText(n, 'name')?.trim() === 'urn:vim25');
  return childText(ns, 'version')?.trim() || null;
}
