// XAPI over JSON-RPC (POST /jsonrpc), as XenCenter speaks it.

import { httpsAgent } from '../../tls/trust';
import { parsePool } from '../parse-pool';
import { decodeJsonRpcAnswer, recordMap } from './answers';
import type { XapiEvent } from './records';
import { serverName, type PostTarget } from './http-post';
import { JsonRecordsReader } from './json-records';
import { EVENTS_OFFLOAD_ABOVE_BYTES, OffloadedAnswer, postToReader, type AnswerReader } from './offloaded-answer';
import type { RecordsJobInit, RecordsJobResult } from './parse-jobs';
import { reductionOf } from './record-reduction';
import { MAX_RECORD_BYTES, MAX_RECORDS } from './sizes';
import { UnsupportedTransportError, type CallTiming, type RecordTransform, type TransportTarget, type XapiTransport } from './transport';

const CONTENT_TYPE = 'application/json';

/** A plain call's answer, read whole (postAnswer bounds its size) and parsed at the end. */
class WholeAnswer implements AnswerReader {
  private readonly chunks: Buffer[] = [];
  constructor(private readonly where: string) {}
  push(bytes: Buffer): void {
    this.chunks.push(bytes);
  }
  finish(): unknown {
    return decodeJsonRpcAnswer(Buffer.concat(this.chunks), this.where);
  }
}

export function createJsonRpcTransport(target: TransportTarget): XapiTransport {
  const agent = httpsAgent(target.trust);
  const closed = new AbortController();
  const post: PostTarget = { host: target.host, port: target.port, agent, closed: closed.signal };
  const { limits } = target;
  const where = serverName(target.host, target.port);
  let nextId = 1;

  async function request(method: string, params: unknown[], timing: CallTiming, reader: AnswerReader, maxBytes: number): Promise<unknown> {
    const body = JSON.stringify({ jsonrpc: '2.0', method, params, id: nextId++ });
    const head = (status: number, contentType: string) => {
      // an old host has no /jsonrpc: it answers 404, or XML-RPC, or its HTML page
      if (status === 404 || !contentType.startsWith(CONTENT_TYPE)) {
        throw new UnsupportedTransportError('jsonrpc', `${where} answered ${method} with HTTP ${status} ${contentType || 'and no content type'}`);
      }
    };
    return postToReader(post, { path: '/jsonrpc', body, contentType: CONTENT_TYPE, maxBytes, timing }, head, reader);
  }

  /** event.from's answer: parsed by a worker once it is large, each event's record reduced there. */
  function eventsReader(): AnswerReader {
    const events: XapiEvent[] = [];
    return new OffloadedAnswer<{ token: string }>(
      new WholeAnswer(where),
      () => parsePool().start('xapi-event-batch', { where }, (part) => events.push(...(part as XapiEvent[]))),
      (done) => ({ events, token: done.token }),
      EVENTS_OFFLOAD_ABOVE_BYTES,
    );
  }

  /** get_all_records' answer: streamed here, or by a worker once it is large (when the transform can run there). */
  function recordsReader(method: string, transform: RecordTransform): AnswerReader {
    const recordLimits = { maxHeadBytes: limits.maxBufferedBytes, maxRecordBytes: MAX_RECORD_BYTES, maxRecords: MAX_RECORDS };
    const inline = new JsonRecordsReader(where, recordLimits, transform);
    const keepNeededOf = reductionOf(transform);
    if (keepNeededOf === undefined) return inline;
    const records = new Map<string, Record<string, unknown>>();
    const init: RecordsJobInit = { where, limits: recordLimits, keepNeededOf };
    return new OffloadedAnswer<RecordsJobResult>(
      inline,
      () => parsePool().start('xapi-records', init, (part) => {
        for (const [ref, record] of part as Array<[string, Record<string, unknown>]>) records.set(ref, record);
      }),
      (done) => (done.streamed ? records : recordMap(done.value, transform, `${where} (${method})`)),
    );
  }

  return {
    kind: 'jsonrpc',
    call(method, params, timing) {
      return request(method, params, timing, method === 'event.from' ? eventsReader() : new WholeAnswer(where), limits.maxBufferedBytes);
    },
    async callRecords(method, params, transform, timing) {
      return recordMap(await request(method, params, timing, recordsReader(method, transform), limits.maxStreamedBytes), transform, `${where} (${method})`);
    },
    close() {
      closed.abort();
      agent.destroy();
    },
  };
}
