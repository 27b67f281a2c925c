// `docker stats --no-stream` of one container, read as the engine's own CLI prints it:
// CPU % (100 per CPU), memory used and its limit in bytes (the CLI rounds to three figures).
import { cliLines } from '../../peers/docker-cli';

const SCALE: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, kB: 1e3, MB: 1e6, GB: 1e9 };

function bytes(text: string): number {
  const m = /^([\d.]+)\s*([KMG]?i?B)/.exec(text.trim());
  if (!m) throw new Error(`docker stats printed a size that is not one: ${text}`);
  return Number(m[1]) * SCALE[m[2]!]!;
}

export async function cliStats(socketPath: string, id: string): Promise<{ cpu: number; memory: number; limit: number }> {
  const [line] = await cliLines(socketPath, ['stats', '--no-stream', '--format', '{{.CPUPerc}}|{{.MemUsage}}', id]);
  const [cpu, mem] = line!.split('|');
  const [used, limit] = mem!.split('/');
  return { cpu: Number(cpu!.replace('%', '')), memory: bytes(used!), limit: bytes(limit!) };
}
