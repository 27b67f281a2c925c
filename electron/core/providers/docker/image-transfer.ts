// Images from one engine to another: `GET /images/get` (docker save) of the source is the
// body of `POST /images/load` (docker load) on the destination, streamed with back-pressure,
// never held whole in memory. Image ids and tags survive the trip (ids are content digests).

import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { PolyvisorError } from '../../../../shared/errors';
import { dial } from './modem-dial';

/** The load's answer is a short JSON stream (one line per loaded image, or an error): more is not an answer. */
const MAX_LOAD_ANSWER = 1 << 20;

export async function transferImages(from: Dockerode, to: Dockerode, names: string[], signal: AbortSignal, where: string): Promise<void> {
  if (signal.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: 'The move was cancelled.' });
  const controller = new AbortController();
  const abort = () => controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  let saved: Readable | undefined;
  try {
    saved = (await dial(from, {
      path: '/images/get?',
      method: 'GET',
      options: { names },
      isStream: true,
      abortSignal: controller.signal,
      statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
    })) as Readable;
    let saveFailed: unknown = null;
    saved.once('error', (e) => {
      saveFailed = e;
      abort();
    });
    let answer: Readable;
    try {
      answer = (await to.loadImage(saved, { quiet: true, abortSignal: controller.signal })) as unknown as Readable;
    } catch (e) {
      throw saveFailed ?? e;
    }
    const text = await readAnswer(answer);
    const failed = loadError(text);
    if (failed) {
      throw new PolyvisorError({ code: 'SERVER_ERROR', message: `Loading the images into the Docker engine at ${where}: ${failed}`, serverParams: [failed] });
    }
    if (saveFailed) throw saveFailed;
  } finally {
    signal.removeEventListener('abort', abort);
    saved?.destroy();
  }
  if (signal.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: 'The move was cancelled.' });
}

async function readAnswer(answer: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of answer) {
    size += (chunk as Buffer).length;
    if (size > MAX_LOAD_ANSWER) {
      answer.destroy();
      throw new PolyvisorError({ code: 'RESPONSE_TOO_LARGE', message: `The answer to loading the images went over ${MAX_LOAD_ANSWER} bytes.` });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The engine's error line in the load's answer, if any. */
export function loadError(text: string): string | null {
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let entry: { error?: unknown; errorDetail?: { message?: unknown } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return `an answer that is not JSON: ${line.slice(0, 200)}`;
    }
    if (typeof entry.error === 'string') return entry.error;
    if (typeof entry.errorDetail?.message === 'string') return entry.errorDetail.message;
  }
  return null;
}
