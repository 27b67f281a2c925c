// Human-readable values for the details pane and the tasks panel.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** With `language`, the number is written as that locale writes numbers. */
export function formatBytes(bytes: number, language?: string): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  const rounded = Number(value.toFixed(digits));
  return `${language ? rounded.toLocaleString(language) : rounded} ${UNITS[unit]}`;
}

export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

export function formatDateTime(value: string | number | null | undefined, language: string): string {
  if (value === null || value === undefined || value === '') return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleString(language);
}

/** Property keys whose numbers are byte counts. */
export function isByteKey(key: string): boolean {
  return /memory|bytes|size|disk|ram/i.test(key);
}

/** Property keys whose numbers are durations in seconds. */
export function isSecondsKey(key: string): boolean {
  return key === 'uptime';
}

/** Words for "{{n}} d" and the like in the user's language (the `units.` translations). */
export type UnitWords = (key: 'units.day' | 'units.hour' | 'units.minute' | 'units.second', values: { n: number }) => string;

/** 874353 → "10 d 2 h 52 min" / "10 天 2 小时 52 分钟" (seconds under a minute: "42 s"). */
export function formatSeconds(seconds: number, words: UnitWords): string {
  if (!Number.isFinite(seconds) || seconds < 0) return String(seconds);
  if (seconds < 60) return words('units.second', { n: Math.floor(seconds) });
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return [d ? words('units.day', { n: d }) : '', d || h ? words('units.hour', { n: h }) : '', words('units.minute', { n: m })].filter(Boolean).join(' ');
}

/** Property keys whose strings are ISO-8601 times. */
export function isTimeKey(key: string): boolean {
  return key === 'time' || key === 'created' || key === 'started' || key === 'startedAt';
}
