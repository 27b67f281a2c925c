// The desktop app opens VMRC/SPICE/RDP/SSH with the OS's programs (issue 18): links
// through Electron's shell, after asking whether any program takes the scheme. The core
// process (systemLauncher there) asks the main process for these two, which only it can do.
import { app, shell } from 'electron';
import type { LinkOpener } from './core/console/system-launcher';
import { xdgSchemeHandler } from './core/console/viewer-programs';

export function desktopLinkOpener(): LinkOpener {
  return {
    // Electron asks xdg-mime itself on Linux, but answers '' there also when xdg-utils are missing
    handles: async (scheme) => (process.platform === 'linux' ? (await xdgSchemeHandler(scheme)) !== null : app.getApplicationNameForProtocol(`${scheme}://`) !== ''),
    open: (link) => shell.openExternal(link),
  };
}
