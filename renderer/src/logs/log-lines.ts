// A container log as lines: bytes from the bridge arrive in arbitrary chunks, so
// a line is only complete at its newline; the oldest lines go when the cap is hit.
// A line may start with the stderr mark and the engine's timestamp (LogsOptions).
import { STDERR_MARK } from '../../../shared/contract';

export const MAX_LOG_LINES = 100_000;

export class LogLines {
  private readonly decoder = new TextDecoder();
  private partial = '';
  lines: string[] = [];

  /** adds a chunk; returns true when complete lines were added */
  push(chunk: Uint8Array): boolean {
    const text = this.partial + this.decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    if (parts.length === 0) return false;
    for (const line of parts) this.lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (this.lines.length > MAX_LOG_LINES) this.lines = this.lines.slice(this.lines.length - MAX_LOG_LINES);
    return true;
  }

  /** the stream ended: a last line without newline still counts */
  finish(): boolean {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    if (!rest) return false;
    this.lines.push(rest);
    return true;
  }

  clear(): void {
    this.lines = [];
  }
}

export interface LogLine {
  /** what the container wrote */
  text: string;
  /** it wrote it to stderr */
  stderr: boolean;
  /** when the engine recorded it (RFC 3339), if asked for */
  time: string | null;
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

export function parseLogLine(raw: string): LogLine {
  const stderr = raw.startsWith(STDERR_MARK);
  const rest = stderr ? raw.slice(STDERR_MARK.length) : raw;
  const time = TIMESTAMP.exec(rest);
  return time ? { text: rest.slice(time[0].length), stderr, time: time[1] } : { text: rest, stderr, time: null };
}

/** Indexes of the lines whose text contains `query` (case-insensitive); all lines when it is empty. */
export function matchingLines(lines: readonly string[], query: string): number[] {
  const out: number[] = [];
  const q = query.toLowerCase();
  for (let i = 0; i < lines.length; i++) if (!q || parseLogLine(lines[i]).text.toLowerCase().includes(q)) out.push(i);
  return out;
}

/** `line` cut into plain and matching pieces, for highlighting. */
export function splitMatches(line: string, query: string): Array<{ text: string; match: boolean }> {
  if (!query) return [{ text: line, match: false }];
  const lower = line.toLowerCase();
  const q = query.toLowerCase();
  const out: Array<{ text: string; match: boolean }> = [];
  let at = 0;
  for (let i = lower.indexOf(q); i >= 0; i = lower.indexOf(q, i + q.length)) {
    if (i > at) out.push({ text: line.slice(at, i), match: false });
    out.push({ text: line.slice(i, i + q.length), match: true });
    at = i + q.length;
  }
  if (at < line.length) out.push({ text: line.slice(at), match: false });
  return out;
}
