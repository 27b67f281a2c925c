// Shortcuts in Electron's accelerator syntax ("CmdOrCtrl+Shift+N", "Delete"), matched
// against keyboard events for the page's own key handling and shown in tooltips.

export interface Accelerator {
  ctrlOrCmd: boolean;
  alt: boolean;
  shift: boolean;
  /** lower-case key name: 'n', ',', 'delete', 'f2' */
  key: string;
}

export const IS_MAC = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

export function parseAccelerator(text: string): Accelerator {
  const parts = text.split('+');
  const key = parts.pop()!.toLowerCase();
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  return {
    ctrlOrCmd: mods.has('cmdorctrl') || mods.has('ctrl') || mods.has('cmd') || mods.has('commandorcontrol'),
    alt: mods.has('alt') || mods.has('option'),
    shift: mods.has('shift'),
    key,
  };
}

/** Has a modifier: such a key never types text, so it may act even from a text field. */
export function hasModifier(a: Accelerator): boolean {
  return a.ctrlOrCmd || a.alt;
}

function keyOf(event: Pick<KeyboardEvent, 'key' | 'code'>): string[] {
  const names = [event.key.toLowerCase()];
  // with Alt (and Option on a Mac) the key may carry another character: the physical key decides
  if (/^Key[A-Z]$/.test(event.code)) names.push(event.code.slice(3).toLowerCase());
  if (/^Digit\d$/.test(event.code)) names.push(event.code.slice(5));
  return names;
}

export function matches(a: Accelerator, event: Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  const ctrlOrCmd = IS_MAC ? event.metaKey : event.ctrlKey;
  if (ctrlOrCmd !== a.ctrlOrCmd || event.altKey !== a.alt || event.shiftKey !== a.shift) return false;
  return keyOf(event).includes(a.key);
}

export function displayAccelerator(text: string): string {
  const a = parseAccelerator(text);
  const key = a.key.length === 1 ? a.key.toUpperCase() : a.key.charAt(0).toUpperCase() + a.key.slice(1);
  return [a.ctrlOrCmd ? (IS_MAC ? 'Cmd' : 'Ctrl') : '', a.alt ? 'Alt' : '', a.shift ? 'Shift' : '', key].filter(Boolean).join('+');
}
