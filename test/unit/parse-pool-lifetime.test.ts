// The shared parse pool and the life of its process: a job in flight keeps the process
// alive until its answer comes back (a CLI command awaiting only a parse must not end
// half-way), and an idle pool does not (the CLI and the benches end when their work does).

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const POOL = pathToFileURL(path.resolve(__dirname, '../../electron/core/providers/parse-pool.ts')).href;

describe('parse pool and process lifetime', () => {
  it('waits for a job in flight, then lets the process end by itself', () => {
    // nothing but the job holds the event loop: its answer (an error naming the unknown job) must still arrive
    const code = `const { parsePool } = await import(${JSON.stringify(POOL)});
      const job = parsePool().start('no-such-job', {}, () => {});
      const err = await job.finish().then(() => null, (e) => e);
      console.log('answer:', err && err.message);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
    expect(run.error, 'the process ended by itself').toBeUndefined();
    expect(run.stdout).toContain('answer: no parse job named no-such-job');
    expect(run.status).toBe(0);
  }, 70_000);
});
