// Text → X11 keysyms, for typing a pasted text into a graphical console.
// Latin-1 characters are their own keysym; any other Unicode character c is
// 0x01000000 + c (the X11 convention every VNC server understands).

export interface KeyPress {
  keysym: number;
  /** the physical key for keys that have one fixed place (Enter, Tab) */
  code: string | null;
}

const RETURN: KeyPress = { keysym: 0xff0d, code: 'Enter' };
const TAB: KeyPress = { keysym: 0xff09, code: 'Tab' };

export function keysymsForText(text: string): KeyPress[] {
  const out: KeyPress[] = [];
  const normalized = text.replace(/\r\n?/g, '\n');
  for (const ch of normalized) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n') out.push(RETURN);
    else if (ch === '\t') out.push(TAB);
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) continue; // other control characters have no key
    else if (cp <= 0xff) out.push({ keysym: cp, code: null });
    else out.push({ keysym: 0x01000000 + cp, code: null });
  }
  return out;
}
