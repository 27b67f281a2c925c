// Broken and hostile XAPI answers, in the shape of each transport, for the
// hostile-server tests: which request a rule hits and what it answers instead.

import type { HostileRequest } from '../../peers/hostile-proxy';
import { deepJson, invalidUtf8 } from '../../peers/hostile-proxy';
import type { Transport } from './harness';

/** The request calls `method` (either transport's encoding). */
export function calls(method: string): (r: HostileRequest) => boolean {
  return (r) => {
    const body = r.body.toString('utf8');
    return body.includes(`"method":"${method}"`) || body.includes(`<methodName>${method}</methodName>`);
  };
}

/** event.from as a long poll (all watched classes), not the token call of a connect (the pool class only). */
export function longPoll(r: HostileRequest): boolean {
  const body = r.body.toString('utf8');
  return calls('event.from')(r) && body.includes('VM_guest_metrics');
}

export interface TransportAnswers {
  contentType: string;
  /** the start of a get_all_records answer, up to where the records begin */
  recordsPrefix: string;
  /** an answer cut in the middle of a record */
  truncated: string;
  /** a record with bytes that are not UTF-8 */
  invalidUtf8: Buffer;
  /** not the transport's format at all */
  malformed: string;
  /** valid syntax, 100,000 levels deep */
  deep: string;
}

const JSON_RPC: TransportAnswers = {
  contentType: 'application/json',
  recordsPrefix: '{"jsonrpc":"2.0","result":{',
  truncated: '{"jsonrpc":"2.0","result":{"OpaqueRef:a":{"name_label":"half a rec',
  invalidUtf8: invalidUtf8('{"jsonrpc":"2.0","result":{"OpaqueRef:a":{"name_label":"', '"}},"id":1}'),
  malformed: '{"jsonrpc":"2.0","result":{"OpaqueRef:a":{"name_label":"x",,}}',
  deep: `{"jsonrpc":"2.0","result":${deepJson(100_000)},"id":1}`,
};

const XML_HEAD = '<?xml version="1.0"?><methodResponse><params><param><value><struct><member><name>Status</name><value>Success</value></member><member><name>Value</name><value><struct>';

const XML_TAIL = '</struct></value></member></struct></value></param></params></methodResponse>';

const XML_RPC: TransportAnswers = {
  contentType: 'text/xml',
  recordsPrefix: XML_HEAD,
  truncated: `${XML_HEAD}<member><name>OpaqueRef:a</name><value><struct><member><name>name_label</name><value>half a rec`,
  invalidUtf8: invalidUtf8(`${XML_HEAD}<member><name>OpaqueRef:a</name><value><struct><member><name>name_label</name><value>`, `</value></member></struct></value></member>${XML_TAIL}`),
  malformed: `${XML_HEAD}<member><name>OpaqueRef:a</name><value><struct><member><name>is_a_template</name><value><boolean>maybe</boolean></value></member></struct></value></member>${XML_TAIL}`,
  deep: `<?xml version="1.0"?><methodResponse><params><param><value><struct><member><name>Status</name><value>Success</value></member><member><name>Value</name>${'<value><array><data>'.repeat(100_000)}${'</data></array></value>'.repeat(100_000)}</member></struct></value></param></params></methodResponse>`,
};

export function answersFor(transport: Transport): TransportAnswers {
  return transport === 'jsonrpc' ? JSON_RPC : XML_RPC;
}
