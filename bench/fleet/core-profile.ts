// A CPU profile of this process's own main thread (the core, in the fleet bench) through
// the inspector's Profiler, for FLEET_CPU_PROFILE=<file>: where the core's event loop
// spends its long blocks while the fleet starts (issue 17).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { longBlocks, summarize, type CpuProfile } from '../lib/cpu-profile';

export interface CoreProfile {
  /** Stops, writes the profile to `file` (open it in Chrome's DevTools) and returns the summary lines. */
  stop(file: string): Promise<string[]>;
}

export async function startCoreProfile(): Promise<CoreProfile> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
      session.disconnect();
      writeFileSync(file, JSON.stringify(profile));
      const blocks = longBlocks(profile, 50);
      return [
        `core CPU profile written to ${file}`,
        `${blocks.length} blocks ≥ 50 ms (longest ${Math.max(0, ...blocks.map((b) => b.ms)).toFixed(0)} ms, ${blocks.reduce((s, b) => s + b.ms, 0).toFixed(0)} ms in all)`,
        'whole start:',
        ...summarize(profile, 15),
        'inside the blocks ≥ 50 ms:',
        ...summarize(profile, 15, blocks),
      ];
    },
  };
}
