// Keys for a graphical console: text → X11 keysyms, for typing a pasted text, and the
// key combinations the local OS would keep for itself (each with its physical key code,
// which noVNC sends as a scancode where the server takes QEMU extended key events).
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

/** The part of noVNC's RFB that presses keys. */
export interface KeySender {
  sendKey(keysym: number, code: string | null, down?: boolean): void;
}

/** Presses the keys in order and releases them in reverse (Ctrl, Alt, then Del). */
export function pressCombo(target: KeySender, keys: readonly KeyPress[]): void {
  for (const key of keys) target.sendKey(key.keysym, key.code, true);
  for (const key of [...keys].reverse()) target.sendKey(key.keysym, key.code, false);
}

const CTRL: KeyPress = { keysym: 0xffe3, code: 'ControlLeft' };
const ALT: KeyPress = { keysym: 0xffe9, code: 'AltLeft' };
const SHIFT: KeyPress = { keysym: 0xffe1, code: 'ShiftLeft' };
const SUPER: KeyPress = { keysym: 0xffeb, code: 'MetaLeft' };
const fn = (n: number): KeyPress => ({ keysym: 0xffbe + n - 1, code: `F${n}` });

export interface KeyCombo {
  /** stable id (test ids, menu keys) */
  id: string;
  /** as printed on keys, the same in every language */
  label: string;
  keys: readonly KeyPress[];
}

/** The key-combination menu of a graphical console: what the local OS would keep for itself. */
export const KEY_COMBOS: readonly KeyCombo[] = [
  { id: 'ctrl-alt-del', label: 'Ctrl+Alt+Del', keys: [CTRL, ALT, { keysym: 0xffff, code: 'Delete' }] },
  { id: 'ctrl-alt-backspace', label: 'Ctrl+Alt+Backspace', keys: [CTRL, ALT, { keysym: 0xff08, code: 'Backspace' }] },
  ...Array.from({ length: 12 }, (_, i) => ({ id: `ctrl-alt-f${i + 1}`, label: `Ctrl+Alt+F${i + 1}`, keys: [CTRL, ALT, fn(i + 1)] })),
  { id: 'alt-tab', label: 'Alt+Tab', keys: [ALT, TAB] },
  { id: 'alt-f4', label: 'Alt+F4', keys: [ALT, fn(4)] },
  { id: 'ctrl-shift-esc', label: 'Ctrl+Shift+Esc', keys: [CTRL, SHIFT, { keysym: 0xff1b, code: 'Escape' }] },
  { id: 'super', label: 'Win / Super', keys: [SUPER] },
  { id: 'print', label: 'PrtSc', keys: [{ keysym: 0xff61, code: 'PrintScreen' }] },
];
