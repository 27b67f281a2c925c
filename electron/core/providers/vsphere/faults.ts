// vSphere faults (SOAP faults and a task's LocalizedMethodFault) → PolyvisorError.

import { PolyvisorError } from '../../../../shared/errors';
import { child, childText, leafFields, text, xsiType, type XmlNode } from './xml';

/** Fault names that mean "log in again", not "the operation failed". */
export const SESSION_FAULTS = new Set(['NotAuthenticated']);

export interface VimFault {
  name: string;
  message: string;
  params: string[];
}

/** Reads `<Fault><faultstring/><detail><XyzFault xsi:type="Xyz">…` from a SOAP body. */
export function readSoapFault(fault: XmlNode): VimFault {
  const message = childText(fault, 'faultstring')?.trim() ?? '';
  const detail = child(fault, 'detail');
  let name = childText(fault, 'faultcode')?.replace(/^[^:]+:/, '') || 'ServerFault';
  let params: string[] = [];
  if (detail && typeof detail !== 'string') {
    const entry = Object.entries(detail).find(([key]) => !key.startsWith('@_') && key !== '#text');
    if (entry) {
      const node = (Array.isArray(entry[1]) ? entry[1][0] : entry[1]) as XmlNode;
      name = xsiType(node) ?? entry[0].replace(/Fault$/, '');
      params = leafFields(node);
    }
  }
  return { name, message, params };
}

/** Reads a LocalizedMethodFault (task info.error, missingSet fault). */
export function readLocalizedFault(node: XmlNode): VimFault {
  const fault = child(node, 'fault');
  const name = xsiType(fault) ?? 'MethodFault';
  const message = text(child(node, 'localizedMessage'))?.trim() ?? '';
  const faultMessage = (child(fault, 'faultMessage') && childText(child(fault, 'faultMessage'), 'message')) || '';
  return { name, message: message || faultMessage, params: leafFields(fault) };
}

export function faultError(fault: VimFault, context?: string): PolyvisorError {
  const described = fault.message && fault.message !== fault.name ? `${fault.name}: ${fault.message}` : fault.name;
  const message = context ? `${context} failed: ${described}` : described;
  if (fault.name === 'InvalidLogin') {
    return new PolyvisorError({ code: 'AUTH_FAILED', message: 'The user name or password is incorrect.', serverCode: fault.name, serverParams: fault.params });
  }
  if (fault.name === 'RequestCanceled') {
    return new PolyvisorError({ code: 'CANCELLED', message, serverCode: fault.name, serverParams: fault.params });
  }
  if (fault.name === 'ManagedObjectNotFound') {
    return new PolyvisorError({ code: 'NOT_FOUND', message, serverCode: fault.name, serverParams: fault.params });
  }
  return new PolyvisorError({ code: 'SERVER_ERROR', message, serverCode: fault.name, serverParams: fault.params });
}

/** A fault's name as words for a sentence: MethodNotFound → "method not found". */
export function faultInWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
}

/**
 * A MethodNotFound fault (a method this server lacks, e.g. vcsim 0.24's RenameSnapshot or RebootHost_Task)
 * as UNSUPPORTED with `cannot` as the sentence; the server's fault stays as serverCode. Other errors pass.
 */
export function unsupportedWhenMissing(err: unknown, method: string, cannot: string): unknown {
  if (!(err instanceof PolyvisorError) || err.info.serverCode !== 'MethodNotFound') return err;
  return new PolyvisorError(
    { ...err.info, code: 'UNSUPPORTED', message: `${cannot}: it answered ${method} with "${faultInWords('MethodNotFound')}" (MethodNotFound).` },
    { cause: err },
  );
}

export function isSessionFault(e: unknown): boolean {
  return e instanceof PolyvisorError && e.info.serverCode !== undefined && SESSION_FAULTS.has(e.info.serverCode);
}
