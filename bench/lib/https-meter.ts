// Counts this process's HTTPS requests and the bytes of their answers (node:https's
// request is wrapped; the vSphere provider calls it through the module object), and
// profiles the main thread meanwhile: what a vSphere connect or a minute of following
// costs in requests, bytes and XML parsing (issue 17).
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { CpuProfile } from './cpu-profile';
import { msInside } from './profile-time';

export interface Metered<T> {
  result: T;
  requests: number;
  bytes: number;
  /** main-thread ms inside the vSphere provider's parseXml (answers over 1 MiB are parsed in the worker, not counted) */
  parseMs: number;
}

export async function metered<T>(work: () => Promise<T>): Promise<Metered<T>> {
  let requests = 0;
  let bytes = 0;
  const request = https.request;
  (https as { request: unknown }).request = (...args: unknown[]) => {
    const callback = args.findIndex((a) => typeof a === 'function');
    const given = args[callback] as (res: IncomingMessage) => void;
    args[callback] = (res: IncomingMessage) => {
      requests++;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      given(res);
    };
    return (request as (...a: unknown[]) => unknown)(...args);
  };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  try {
    const result = await work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    return { result, requests, bytes, parseMs: msInside(profile, 'parseXml', 'xml.ts') };
  } finally {
    (https as { request: unknown }).request = request;
    session.disconnect();
  }
}

/** "12 requests, 164 KiB, parse 220 ms (5.00 ms per node)" */
export function describeMetered(m: Metered<unknown>, nodes: number): string {
  return `${m.requests} requests, ${(m.bytes / 1024).toFixed(0)} KiB, XML parse ${m.parseMs.toFixed(0)} ms on the main thread (${(m.parseMs / nodes).toFixed(2)} ms per node)`;
}
