// The Logs tab's line assembly: chunks split anywhere (even inside a UTF-8 character),
// CRLF endings, the line cap, and the search's filtering and highlighting.
import { describe, expect, it } from 'vitest';
import { STDERR_MARK } from '../../shared/contract';
import { LogLines, MAX_LOG_LINES, matchingLines, parseLogLine, splitMatches } from '../../renderer/src/logs/log-lines';

describe('LogLines', () => {
  it('joins lines split across chunks, including inside a multi-byte character', () => {
    const bytes = new TextEncoder().encode('first\r\nsec日本ond\nthi');
    const log = new LogLines();
    for (let i = 0; i < bytes.length; i += 3) log.push(bytes.subarray(i, i + 3));
    expect(log.lines).toEqual(['first', 'sec日本ond']);
    expect(log.finish()).toBe(true);
    expect(log.lines).toEqual(['first', 'sec日本ond', 'thi']);
  });

  it('keeps only the newest lines past the cap', () => {
    const log = new LogLines();
    log.push(new TextEncoder().encode(Array.from({ length: MAX_LOG_LINES + 5 }, (_, i) => `l${i}\n`).join('')));
    expect(log.lines.length).toBe(MAX_LOG_LINES);
    expect(log.lines[0]).toBe('l5');
  });
});

describe('search', () => {
  it('filters case-insensitively and highlights every match', () => {
    const lines = ['Error: disk', 'ok', 'another error, error'];
    expect(matchingLines(lines, 'ERROR')).toEqual([0, 2]);
    expect(matchingLines(lines, '')).toEqual([0, 1, 2]);
    expect(splitMatches('another error, Error', 'error')).toEqual([
      { text: 'another ', match: false },
      { text: 'error', match: true },
      { text: ', ', match: false },
      { text: 'Error', match: true },
    ]);
  });
});

describe('a line with the stderr mark and the engine\'s timestamp', () => {
  it('reads the stream, the time and the text apart; the search looks at the text only', () => {
    expect(parseLogLine(`${STDERR_MARK}2026-12-05T04:30:01.123456789Z disk full`)).toEqual({ stderr: true, time: '2026-12-05T04:30:01.123456789Z', text: 'disk full' });
    expect(parseLogLine('2026-12-05T04:30:01Z ok')).toEqual({ stderr: false, time: '2026-12-05T04:30:01Z', text: 'ok' });
    expect(parseLogLine('plain 2026-12-05T04:30:01Z')).toEqual({ stderr: false, time: null, text: 'plain 2026-12-05T04:30:01Z' });
    expect(matchingLines(['2026-12-05T04:30:01Z ok', `${STDERR_MARK}2026-12-05T04:30:02Z 2026 again`], '2026')).toEqual([1]);
  });
});
