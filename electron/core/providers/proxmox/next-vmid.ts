// A new guest's VMID: the cluster's next free one (GET /cluster/nextid), asked
// again when another client took it between the question and the request.

import { toErrorInfo } from '../../../../shared/errors';
import type { ProviderConfig } from '../provider';
import { readNextId } from './answers';
import type { PveClient } from './client';

/** How many times the next free VMID is tried when another client took the last one first. */
const VMID_ATTEMPTS = 3;
const VMID_TAKEN = /\b(?:VM|CT) \d+ already exists|config file already exists/;

/** Runs `start(vmid)` (a create or clone answering a UPID) with the next free VMID. */
export async function withNextVmid(client: PveClient, start: (vmid: number) => Promise<string>, log?: ProviderConfig['log']): Promise<{ vmid: number; upid: string }> {
  for (let attempt = 1; ; attempt++) {
    const vmid = await client.get('/cluster/nextid', readNextId);
    try {
      return { vmid, upid: await start(vmid) };
    } catch (err) {
      // the VMID went to another client between the two calls: ask for the next one
      if (attempt >= VMID_ATTEMPTS || !VMID_TAKEN.test(toErrorInfo(err).message)) throw err;
      log?.('debug', `${client.name}: VMID ${vmid} was taken meanwhile, asking for another`);
    }
  }
}
