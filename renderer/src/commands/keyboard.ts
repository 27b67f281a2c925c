// The page's own shortcut handling, built from the registry. Global shortcuts are
// native-menu accelerators in Electron (the menu sends them as menu:command); every
// other shortcut, and all of them in web mode, are answered here. Keys never go to a
// command while a dialog (or the Scheduled snapshots view) is open, or while a console has the keyboard.
import { useStore } from '../store/store';
import { hasModifier, matches, parseAccelerator, type Accelerator } from './accelerator';
import { COMMANDS } from './registry';
import { runCommand } from './runner';

interface Binding {
  id: string;
  accelerator: Accelerator;
}

/** The bindings the page answers in this mode. */
export function pageBindings(electron: boolean): Binding[] {
  const out: Binding[] = [];
  for (const command of COMMANDS) {
    if (command.shortcut && !(electron && command.global)) out.push({ id: command.id, accelerator: parseAccelerator(command.shortcut) });
    if (command.webShortcut && !electron) out.push({ id: command.id, accelerator: parseAccelerator(command.webShortcut) });
  }
  return out;
}

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type !== 'checkbox' && target.type !== 'radio');
}

export function installKeyboardShortcuts(): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.repeat) return;
    const state = useStore.getState();
    if (state.dialog !== null || state.schedulesView !== null) return;
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest('[data-keyboard-owner]')) return;
    const textField = isTextField(event.target);
    for (const binding of pageBindings(state.info?.mode === 'electron')) {
      if (!matches(binding.accelerator, event)) continue;
      if (textField && !hasModifier(binding.accelerator)) return;
      // a shortcut whose command cannot run leaves the key to the browser
      if (runCommand(binding.id)) event.preventDefault();
      return;
    }
  };
  window.addEventListener('keydown', onKeyDown);
  return () => window.removeEventListener('keydown', onKeyDown);
}
