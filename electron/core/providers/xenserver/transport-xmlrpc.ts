// XAPI over XML-RPC (POST /), for hosts without JSON-RPC.

import xmlrpc from 'xmlrpc';
import { httpsAgent } from '../../tls/trust';
import { connectionFailure, xapiFailure } from './errors';
import { DEFAULT_CALL_TIMEOUT_MS, XapiDouble, type TransportTarget, type XapiTransport } from './transport';

interface XmlRpcResult {
  Status?: string;
  Value?: unknown;
  ErrorDescription?: unknown;
}

class XmlRpcDouble extends xmlrpc.CustomType {
  override tagName = 'double';
  constructor(value: number) {
    super(Number.isInteger(value) ? value.toFixed(1) : String(value));
  }
}

function encode(value: unknown): unknown {
  if (value instanceof XapiDouble) return new XmlRpcDouble(value.value);
  if (Array.isArray(value)) return value.map(encode);
  return value;
}

export function createXmlRpcTransport(target: TransportTarget): XapiTransport {
  const agent = httpsAgent(target.trust);
  const closed = new AbortController();

  const transport: XapiTransport = {
    kind: 'xmlrpc',
    async callRecords(method, params, transform, timeoutMs) {
      const records = ((await transport.call(method, params, timeoutMs)) ?? {}) as Record<string, Record<string, unknown>>;
      for (const ref in records) records[ref] = transform(records[ref]!);
      return records;
    },
    call(method, params, timeoutMs = DEFAULT_CALL_TIMEOUT_MS) {
      // one client per call: the signal (close or timeout) is an option of the underlying https.request
      const client = xmlrpc.createSecureClient({
        host: target.host,
        port: target.port,
        path: '/',
        agent,
        signal: AbortSignal.any([closed.signal, AbortSignal.timeout(timeoutMs)]),
      } as Parameters<typeof xmlrpc.createSecureClient>[0]);
      return new Promise((resolve, reject) => {
        let settled = false;
        client.methodCall(method, params.map(encode), (err: unknown, value: unknown) => {
          if (settled) return;
          settled = true;
          if (err) {
            reject(connectionFailure(target.host, target.port, err));
            return;
          }
          const result = value as XmlRpcResult | null;
          if (result && result.Status === 'Success') resolve(result.Value);
          else if (result && result.Status === 'Failure') reject(xapiFailure(result.ErrorDescription));
          else reject(connectionFailure(target.host, target.port, new Error('the answer is not a XAPI result')));
        });
      });
    },
    close() {
      closed.abort();
      agent.destroy();
    },
  };
  return transport;
}
