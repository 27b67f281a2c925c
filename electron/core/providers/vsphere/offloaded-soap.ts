// A large SOAP answer read by a parse worker (soap-parse-job.ts) instead of on the core's
// event loop; small ones stay inline (readSoapReturn), where a worker's round trip costs
// about what the parse does.

import { parsePool } from '../parse-pool';
import type { HttpResponse } from './http';
import { refill, type SoapJobInit, type SoapJobResult, type SoapPart } from './soap-parse-job';
import type { XmlNode } from './xml';

/** Answers longer than this are parsed by the worker (the XAPI crossover, measured in parse-crossover.bench.ts). */
export const SOAP_OFFLOAD_ABOVE_BYTES = 1024 * 1024;
/** longest stretch of handing an answer's bytes to the worker in one turn */
const PUSH_TURN_MS = 8;

/** readSoapReturn of an answer left as bytes (HttpResponse.chunks): the returnval, or the fault's typed error. */
export async function readSoapReturnOffloaded(method: string, where: string, res: HttpResponse & { chunks: Buffer[] }): Promise<XmlNode | undefined> {
  const parts: SoapPart[] = [];
  const init: SoapJobInit = { method, where, status: res.status, headers: res.headers };
  const job = parsePool().start<SoapJobResult>('vim-soap', init, (part) => parts.push(part as SoapPart));
  try {
    // each push copies its chunk for the worker: 120 MB of them pushed in a row held the loop for seconds
    let turnEnds = performance.now() + PUSH_TURN_MS;
    for (const chunk of res.chunks) {
      await job.push(chunk);
      if (performance.now() < turnEnds) continue;
      await new Promise((resolve) => setImmediate(resolve));
      turnEnds = performance.now() + PUSH_TURN_MS;
    }
  } catch (err) {
    job.drop();
    throw err;
  }
  const { value } = await job.finish();
  for (const part of parts) refill(value, part);
  return value;
}
