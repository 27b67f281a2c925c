// XAPI over JSON-RPC (POST /jsonrpc), as XenCenter speaks it.

import { httpsAgent } from '../../tls/trust';
import { decodeJsonRpcAnswer, recordMap } from './answers';
import { postAnswer, serverName, type PostTarget } from './http-post';
import { JsonRecordsReader } from './json-records';
import { MAX_RECORD_BYTES, MAX_RECORDS } from './sizes';
import { UnsupportedTransportError, type CallTiming, type TransportTarget, type XapiTransport } from './transport';

const CONTENT_TYPE = 'application/json';

interface AnswerReader {
  push(bytes: Buffer): void;
  finish(): unknown;
}

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
    await postAnswer(post, { path: '/jsonrpc', body, contentType: CONTENT_TYPE, maxBytes, timing }, {
      head(status, contentType) {
        // an old host has no /jsonrpc: it answers 404, or XML-RPC, or its HTML page
        if (status === 404 || !contentType.startsWith(CONTENT_TYPE)) {
          throw new UnsupportedTransportError('jsonrpc', `${where} answered ${method} with HTTP ${status} ${contentType || 'and no content type'}`);
        }
      },
      chunk: (bytes) => reader.push(bytes),
    });
    return reader.finish();
  }

  return {
    kind: 'jsonrpc',
    call(method, params, timing) {
      return request(method, params, timing, new WholeAnswer(where), limits.maxBufferedBytes);
    },
    async callRecords(method, params, transform, timing) {
      const reader = new JsonRecordsReader(where, { maxHeadBytes: limits.maxBufferedBytes, maxRecordBytes: MAX_RECORD_BYTES, maxRecords: MAX_RECORDS }, transform);
      return recordMap(await request(method, params, timing, reader, limits.maxStreamedBytes), transform, `${where} (${method})`);
    },
    close() {
      closed.abort();
      agent.destroy();
    },
  };
}
