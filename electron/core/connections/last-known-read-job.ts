// A parse worker's job: read one last known tree (file, JSON, version, every node checked)
// and send its nodes back in parts, so opening a profile of 50,000 nodes never holds the
// core's event loop. What the file is found to be comes back as data: missing, unusable
// (the caller moves it aside, as the profile's loader does), or the tree's time.

import { readFileSync } from 'node:fs';
import type { ParseJobRunner } from '../util/parse-worker-host';
import { checkVersionedText } from '../util/versioned-json-file';
import { decodeLastKnown, LAST_KNOWN_SCHEMA_VERSION } from './last-known-format';

/** Nodes per part: each part is one message the event loop takes in at a time. */
const NODES_PER_PART = 500;

export interface LastKnownReadInit {
  file: string;
  serverId: string;
}

export type LastKnownReadResult = { missing: true } | { unusable: string } | { at: number };

export function lastKnownReadJob(init: LastKnownReadInit): ParseJobRunner {
  return {
    push: () => undefined,
    finish(emit): LastKnownReadResult {
      let text: string;
      try {
        text = readFileSync(init.file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
        return { unusable: `Cannot read the file: ${(e as Error).message}` };
      }
      const tree = checkVersionedText(text, { version: LAST_KNOWN_SCHEMA_VERSION, parse: (doc) => decodeLastKnown(doc, init.serverId) });
      if (typeof tree === 'string') return { unusable: tree };
      for (let i = 0; i < tree.nodes.length; i += NODES_PER_PART) emit(tree.nodes.slice(i, i + NODES_PER_PART));
      return { at: tree.at };
    },
  };
}

export const LAST_KNOWN_READ_JOB = (init: unknown) => lastKnownReadJob(init as LastKnownReadInit);
