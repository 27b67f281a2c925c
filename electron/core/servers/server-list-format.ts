// Import/export of the saved host list. Export is our own JSON without any
// password; import also reads XenCenter's exported server list:
//   <?xml version="1.0" encoding="utf-16"?>
//   <XenConnections><XenConnection><Hostname>…</Hostname><Port>443</Port>
//     <FriendlyName>…</FriendlyName></XenConnection>…</XenConnections>
// (XenCenter may add <Username>, <SaveDisconnected>; unknown elements are ignored.)

import { XMLParser } from 'fast-xml-parser';
import { PolyvisorError } from '../../../shared/errors';
import type { SavedServer, ServerFields } from './saved-server';
import { serverFieldsProblem } from './saved-server';

export const EXPORT_FORMAT = 'polyvisor-servers';
export const EXPORT_VERSION = 1;

/** XenCenter's defaults for a connection (XenConnection constructor). */
const XENCENTER_DEFAULT_PORT = 443;
const XENCENTER_DEFAULT_USER = 'root';

export function exportServerList(servers: readonly SavedServer[]): string {
  const entries = servers.map((s) => ({
    type: s.type,
    name: s.name,
    host: s.host,
    port: s.port,
    username: s.username,
    autoConnect: s.autoConnect,
    rememberPassword: s.rememberPassword,
    options: s.options,
  }));
  return `${JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, servers: entries }, null, 2)}\n`;
}

/** Parses either format into entries ready for the store; INVALID_INPUT when the content is neither. */
export function parseServerList(content: string): ServerFields[] {
  if (typeof content !== 'string') throw invalid('The server list must be text.');
  const text = content.replace(/^\uFEFF/, '').trim();
  if (text.startsWith('{')) return parseOwnFormat(text);
  if (text.startsWith('<')) return parseXenCenter(text);
  throw invalid('This is neither a Polyvisor server list (JSON) nor a XenCenter server list (XML).');
}

function parseOwnFormat(text: string): ServerFields[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalid(`The server list is not valid JSON: ${(e as Error).message}`);
  }
  const d = doc as { format?: unknown; version?: unknown; servers?: unknown };
  if (d.format !== EXPORT_FORMAT) throw invalid(`Not a Polyvisor server list (format ${JSON.stringify(d.format)}).`);
  if (typeof d.version !== 'number' || d.version > EXPORT_VERSION) {
    throw invalid(`Server list version ${JSON.stringify(d.version)} is not supported (this Polyvisor reads version ${EXPORT_VERSION}).`);
  }
  if (!Array.isArray(d.servers)) throw invalid('The server list has no "servers" array.');
  return d.servers.map((raw, i) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    const fields: ServerFields = {
      type: r.type as ServerFields['type'],
      name: typeof r.name === 'string' && r.name.trim() ? r.name : (r.host as string),
      host: r.host as string,
      port: r.port as number,
      username: typeof r.username === 'string' ? r.username : '',
      autoConnect: typeof r.autoConnect === 'boolean' ? r.autoConnect : false,
      rememberPassword: typeof r.rememberPassword === 'boolean' ? r.rememberPassword : true,
      options: (r.options ?? {}) as ServerFields['options'],
    };
    const problem = serverFieldsProblem(fields as unknown as Record<string, unknown>);
    if (problem) throw invalid(`Entry ${i + 1} of the server list: ${problem}`);
    return fields;
  });
}

function parseXenCenter(text: string): ServerFields[] {
  const parser = new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    parseTagValue: false,
    trimValues: true,
    processEntities: true,
    isArray: (name) => name === 'XenConnection',
  });
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text, true) as Record<string, unknown>;
  } catch (e) {
    throw invalid(`The XenCenter server list is not well-formed XML: ${(e as Error).message}`);
  }
  const root = doc.XenConnections;
  if (root === undefined) throw invalid('Not a XenCenter server list: no <XenConnections> element.');
  const connections = (root && typeof root === 'object' ? (root as { XenConnection?: unknown[] }).XenConnection : undefined) ?? [];
  return connections.map((raw, i) => {
    const c = (raw ?? {}) as Record<string, unknown>;
    const host = text1(c.Hostname);
    const portText = text1(c.Port);
    const port = portText ? Number(portText) : XENCENTER_DEFAULT_PORT;
    const fields: ServerFields = {
      type: 'xenserver',
      name: text1(c.FriendlyName) || host,
      host,
      port,
      username: text1(c.Username) || XENCENTER_DEFAULT_USER,
      // Imported servers have no password yet: connecting them at start-up would only ask for one.
      autoConnect: false,
      rememberPassword: true,
      options: {},
    };
    const problem = serverFieldsProblem(fields as unknown as Record<string, unknown>);
    if (problem) throw invalid(`XenConnection ${i + 1} of the XenCenter server list: ${problem}`);
    return fields;
  });
}

function text1(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  return '';
}

function invalid(message: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', message });
}
