// Which limits an engine request gets depends on how its answer is read: a stream taken
// for a buffered answer would be cut by the deadline (the event stream, a followed log),
// a buffered answer taken for a stream would escape the size limit.
import { describe, expect, it } from 'vitest';
import { answerKind } from '../../../electron/core/providers/docker/answer-limits';

describe('Docker answer kinds', () => {
  it('streams: the event stream, followed logs, attached and exec terminals, stats', () => {
    expect(answerKind('GET', '/events?since=1&filters=%7B%7D', false)).toBe('stream');
    expect(answerKind('GET', '/v1.41/events', false)).toBe('stream');
    expect(answerKind('GET', '/containers/abc/logs?stdout=true&follow=true', false)).toBe('stream');
    expect(answerKind('POST', '/containers/abc/attach?stream=1', false)).toBe('stream');
    expect(answerKind('POST', '/exec/abc/start', false)).toBe('stream');
    expect(answerKind('POST', '/containers/abc/wait', true)).toBe('stream');
    expect(answerKind('GET', '/containers/abc/stats', false)).toBe('stream');
  });

  it('transfers: logs read to the end, archives, exports, image pulls', () => {
    expect(answerKind('GET', '/containers/abc/logs?stdout=true&follow=false', false)).toBe('transfer');
    expect(answerKind('GET', '/containers/abc/archive?path=%2Fdata%2F.', false)).toBe('transfer');
    expect(answerKind('PUT', '/containers/abc/archive?path=%2F', false)).toBe('transfer');
    expect(answerKind('GET', '/containers/abc/export', false)).toBe('transfer');
    expect(answerKind('POST', '/images/create?fromImage=x', false)).toBe('transfer');
    expect(answerKind('GET', '/images/x/get', false)).toBe('transfer');
  });

  it('buffered: everything docker-modem reads whole', () => {
    for (const [method, path] of [
      ['GET', '/_ping'],
      ['GET', '/info'],
      ['GET', '/containers/json?all=true'],
      ['GET', '/containers/abc/json'],
      ['GET', '/images/json?all=true'],
      ['POST', '/containers/abc/start'],
      ['POST', '/commit?container=abc'],
      ['DELETE', '/images/polyvisor-snapshots%2Fx:y?force=true'],
      ['POST', '/containers/abc/exec'],
    ]) {
      expect(answerKind(method, path, false)).toBe('buffered');
    }
  });
});
