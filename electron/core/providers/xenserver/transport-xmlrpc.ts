// XAPI over XML-RPC (POST /), for hosts without JSON-RPC. The `xmlrpc` package
// writes the calls and parses the answers; the HTTP exchange is ours (http-post.ts),
// so every answer is read within the limits. Large get_all_records and event.from
// answers are parsed by a parse worker (offloaded-answer.ts), by the same reader.

import xmlrpc from 'xmlrpc';
import { serializeMethodCall } from 'xmlrpc/lib/serializer.js';
import { httpsAgent } from '../../tls/trust';
import { parsePool } from '../parse-pool';
import { httpStatusError, malformedAnswer } from './answers';
import { serverName, type PostTarget } from './http-post';
import { MAX_RECORD_BYTES, MAX_RECORDS } from './sizes';
import { EVENTS_OFFLOAD_ABOVE_BYTES, OffloadedAnswer, postToReader, type AnswerReader } from './offloaded-answer';
import type { XmlRpcEventBatchJobInit, XmlRpcRecordsJobInit } from './parse-jobs';
import type { XapiEvent } from './records';
import { reductionOf } from './record-reduction';
import { XapiDouble, XapiInt, type CallTiming, type RecordTransform, type TransportTarget, type XapiTransport } from './transport';
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

  async function request(method: string, params: unknown[], timing: CallTiming, reader: AnswerReader, maxBytes: number): Promise<unknown> {
    const body = serializeMethodCall(method, params.map(encode));
    const head = (status: number, contentType: string) => {
      if (status !== 200) throw httpStatusError(where, status);
      if (!contentType.includes('xml')) throw malformedAnswer(where, `${method} was answered with ${contentType || 'no content type'}, not XML`);
    };
    return postToReader(post, { path: '/', body, contentType: 'text/xml', maxBytes, timing }, head, reader);
  }

  /** event.from's answer: by a worker once it is large, each event's record reduced there. */
  function eventsReader(): AnswerReader {
    const events: XapiEvent[] = [];
    const init: XmlRpcEventBatchJobInit = { where, maxTextBytes: MAX_RECORD_BYTES };
    return new OffloadedAnswer<{ token: string }>(
      new XmlRpcAnswerReader(where, { maxTextBytes: MAX_RECORD_BYTES }),
      () => parsePool().start('xapi-xmlrpc-event-batch', init, (part) => events.push(...(part as XapiEvent[]))),
      (done) => ({ events, token: done.token }),
      EVENTS_OFFLOAD_ABOVE_BYTES,
    );
  }

  /** get_all_records' answer: read here, or by a worker once it is large (when the transform can run there). */
  function recordsReader(method: string, transform: RecordTransform): AnswerReader {
    const named = `${where} (${method})`;
    const inline = new XmlRpcAnswerReader(named, { maxTextBytes: MAX_RECORD_BYTES, records: { transform, maxRecords: MAX_RECORDS } });
    const keepNeededOf = reductionOf(transform);
    if (keepNeededOf === undefined) return inline;
    const records = new Map<string, Record<string, unknown>>();
    const init: XmlRpcRecordsJobInit = { where: named, maxTextBytes: MAX_RECORD_BYTES, maxRecords: MAX_RECORDS, keepNeededOf };
    return new OffloadedAnswer<null>(
      inline,
      () => parsePool().start('xapi-xmlrpc-records', init, (part) => {
        for (const [ref, record] of part as Array<[string, Record<string, unknown>]>) records.set(ref, record);
      }),
      () => records,
    );
  }

  return {
    kind: 'xmlrpc',
    call(method, params, timing) {
      const reader = method === 'event.from' ? eventsReader() : new XmlRpcAnswerReader(where, { maxTextBytes: MAX_RECORD_BYTES });
      return request(method, params, timing, reader, limits.maxBufferedBytes);
    },
    async callRecords(method, params, transform, timing) {
      return (await request(method, params, timing, recordsReader(method, transform), limits.maxStreamedBytes)) as Map<string, Record<string, unknown>>;
    },
    close() {
      closed.abort();
      agent.destroy();
    },
  };
}
