// Runs the CLI in-process on argv that must be refused as usage: its exit code and what it wrote to stderr.
import { vi } from 'vitest';
import { runCli } from '../../../electron/cli/run';

export async function usageRefusal(argv: string[]): Promise<{ code: number; stderr: string }> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    return { code: await runCli(argv), stderr: written.join('') };
  } finally {
    spy.mockRestore();
  }
}
