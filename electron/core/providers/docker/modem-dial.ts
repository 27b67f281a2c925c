// Engine endpoints dockerode has no typed call for (or only a buffered one) go through
// its modem: the same transport, agent and limits as every other call.

import type Dockerode from 'dockerode';

export interface DialOptions {
  path: string;
  method: string;
  options?: Record<string, unknown>;
  statusCodes: Record<number, boolean | string>;
  /** hand over the answer as a stream instead of reading it whole */
  isStream?: boolean;
  /** ends the request (and a streamed answer) when aborted */
  abortSignal?: AbortSignal;
}

export function dial(docker: Dockerode, opts: DialOptions): Promise<unknown> {
  return new Promise((resolve, reject) => {
    (docker.modem as unknown as { dial(o: DialOptions, cb: (err: unknown, data: unknown) => void): void }).dial(opts, (err, data) =>
      err ? reject(err) : resolve(data),
    );
  });
}
