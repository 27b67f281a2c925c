// XAPI over XML-RPC (POST /), for hosts without JSON-RPC. The `xmlrpc` package
// writes the calls and parses the answers; the HTTP exchange is ours (http-post.ts),
// so every answer is read within the limits.

import xmlrpc from 'xmlrpc';
import { serializeMethodCall } from 'xmlrpc/lib/serializer.js';
import { httpsAgent } from '../../tls/trust';
import { httpStatusError, malformedAnswer } from './answers';
import { postAnswer, serverName, type PostTarget } from './http-post';
import { MAX_RECORD_BYTES, MAX_RECORDS } from './sizes';
import { XapiDouble, XapiInt, type CallTiming, type TransportTarget, type XapiTransport } from './transport';
import { XmlRpcAnswerReader } from './xmlrpc-answer';

class XmlRpcDouble extends xmlrpc.CustomType {
  override tagName = 'double';
  constructor(value: number) {
    super(Number.isInteger(value) ? value.toFixed(1) : String(value));
  }
}

function encode(value: unknown): unknown {
  if (value instanceof XapiDouble) return new XmlRpcDouble(value.value);
  if (value instanceof XapiInt) return String(value.value);
  if (Array.isArray(value)) return value.map(encode);
  // a record (VMSS.create's args) may hold typed values too
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  }
  return value;
}

export function createXmlRpcTransport(target: TransportTarget): XapiTransport {
  const agent = httpsAgent(target.trust);
  const closed = new AbortController();
  const post: PostTarget = { host: target.host, port: target.port, agent, closed: closed.signal };
  const where = serverName(target.host, target.port);
  const { limits } = target;

  async function request(method: string, params: unknown[], timing: CallTiming, reader: XmlRpcAnswerReader, maxBytes: number): Promise<unknown> {
    const body = serializeMethodCall(method, params.map(encode));
    await postAnswer(post, { path: '/', body, contentType: 'text/xml', maxBytes, timing }, {
      head(status, contentType) {
        if (status !== 200) throw httpStatusError(where, status);
        if (!contentType.includes('xml')) throw malformedAnswer(where, `${method} was answered with ${contentType || 'no content type'}, not XML`);
      },
      chunk: (bytes) => reader.push(bytes),
    });
    return reader.finish();
  }

  return {
    kind: 'xmlrpc',
    call(method, params, timing) {
      return request(method, params, timing, new XmlRpcAnswerReader(where, { maxTextBytes: MAX_RECORD_BYTES }), limits.maxBufferedBytes);
    },
    async callRecords(method, params, transform, timing) {
      const reader = new XmlRpcAnswerReader(`${where} (${method})`, { maxTextBytes: MAX_RECORD_BYTES, records: { transform, maxRecords: MAX_RECORDS } });
      return (await request(method, params, timing, reader, limits.maxStreamedBytes)) as Map<string, Record<string, unknown>>;
    },
    close() {
      closed.abort();
      agent.destroy();
    },
  };
}
