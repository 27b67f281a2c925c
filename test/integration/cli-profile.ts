// A CLI test's own profile: the bundled CLI run as a process with a private
// POLYVISOR_HOME and HOME, its passwords in a throw-away keyring session.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { startKeyringSession } from '../peers/keyring';
import type { CliRun } from '../cli-process';
import { bundleCli } from './cli-bundle';

export interface CliProfile {
  /** the profile's HOME; POLYVISOR_HOME is its `profile` folder */
  dir: string;
  run(args: string[], stdin?: string): Promise<CliRun>;
  /** runs and expects exit code 0 (the command and its stderr name a failure) */
  ok(args: string[], stdin?: string): Promise<CliRun>;
  close(): Promise<void>;
}

export async function openCliProfile(name: string): Promise<CliProfile> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `polyvisor-${name}-`));
  const [keyring, bundle] = await Promise.all([startKeyringSession(), bundleCli()]);
  const run = (args: string[], stdin?: string) => bundle.run(args, { ...keyring.env, POLYVISOR_HOME: path.join(dir, 'profile'), HOME: dir }, stdin);
  return {
    dir,
    run,
    async ok(args, stdin) {
      const r = await run(args, stdin);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
      return r;
    },
    async close() {
      await keyring.stop();
      bundle.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
