// Web mode's token leaves the address (and so the history) for sessionStorage; a
// reload, whose address has no token, finds it there.
import { describe, expect, it } from 'vitest';
import { takeWebToken, TOKEN_STORAGE_KEY, type TokenPlace } from '../../renderer/src/client/web-token';

function place(href: string): TokenPlace & { replaced: string[]; stored: Map<string, string> } {
  const stored = new Map<string, string>();
  const replaced: string[] = [];
  return {
    stored,
    replaced,
    location: { href },
    history: { state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) },
    storage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => void stored.set(k, v) },
  };
}

describe('the web-mode token', () => {
  it('moves from the address to sessionStorage, keeping the rest of the address', () => {
    const p = place('http://127.0.0.1:4000/?token=abc&x=1#here');
    expect(takeWebToken(p)).toBe('abc');
    expect(p.stored.get(TOKEN_STORAGE_KEY)).toBe('abc');
    expect(p.replaced).toEqual(['/?x=1#here']);
  });
  it('comes from sessionStorage after a reload, leaving the address alone', () => {
    const p = place('http://127.0.0.1:4000/');
    p.stored.set(TOKEN_STORAGE_KEY, 'abc');
    expect(takeWebToken(p)).toBe('abc');
    expect(p.replaced).toEqual([]);
  });
  it('is empty when neither has it (the host then refuses the socket)', () => {
    expect(takeWebToken(place('http://127.0.0.1:4000/'))).toBe('');
  });
});
