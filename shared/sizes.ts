// Sizes as people type them ("4GiB", "4 GB", "512m", "2048"): the New VM wizard,
// the Properties dialog and the CLI parse them here, once, into whole bytes.
// Binary units (KiB, MiB, GiB, TiB, and the bare K/M/G/T of hypervisor tools) are
// powers of 1024; decimal units (kB, MB, GB, TB) are powers of 1000.

const UNITS: Record<string, number> = {
  b: 1,
  k: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tib: 1024 ** 4,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
};

export type SizeParse = { ok: true; bytes: number } | { ok: false; problem: string };

/**
 * Parses a size; a bare number is in `defaultUnit` (bytes unless said).
 * The result is whole bytes (rounded down) and at most Number.MAX_SAFE_INTEGER.
 */
export function parseSize(text: string, defaultUnit: 'b' | 'mib' | 'gib' = 'b'): SizeParse {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return { ok: false, problem: `"${text}" is not a size (for example 4GiB, 512MiB or 20 GB)` };
  const unit = (match[2] || defaultUnit).toLowerCase();
  const factor = UNITS[unit];
  if (factor === undefined) return { ok: false, problem: `"${match[2]}" is not a unit of size (use KiB, MiB, GiB, TiB or kB, MB, GB, TB)` };
  const bytes = Math.floor(Number(match[1]) * factor);
  if (!Number.isSafeInteger(bytes)) return { ok: false, problem: `"${text}" is too large` };
  return { ok: true, bytes };
}

/** "MIN..MAX" (the CLI's --memory-dynamic): both ends parsed; MIN must not exceed MAX. */
export function parseSizeRange(text: string, defaultUnit: 'b' | 'mib' | 'gib' = 'b'): { ok: true; min: number; max: number } | { ok: false; problem: string } {
  const parts = text.split('..');
  if (parts.length !== 2) return { ok: false, problem: `"${text}" is not a range (for example 2GiB..4GiB)` };
  const min = parseSize(parts[0]!, defaultUnit);
  if (!min.ok) return min;
  const max = parseSize(parts[1]!, defaultUnit);
  if (!max.ok) return max;
  if (min.bytes > max.bytes) return { ok: false, problem: `the range ${text} starts above its end` };
  return { ok: true, min: min.bytes, max: max.bytes };
}

/** Bytes in the largest binary unit that keeps the number at or above 1 ("4 GiB", "1.5 GiB", "512 MiB"). */
export function formatSize(bytes: number): string {
  const steps: Array<[string, number]> = [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ];
  for (const [unit, factor] of steps) {
    if (bytes >= factor) return `${Number((bytes / factor).toFixed(2))} ${unit}`;
  }
  return `${bytes} B`;
}
