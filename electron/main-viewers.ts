// The desktop app opens VMRC/SPICE/RDP/SSH with the OS's programs (issue 18):
// links through Electron's shell, after asking whether any program takes the scheme.
import { app, shell } from 'electron';
import { systemLauncher } from './core/console/system-launcher';
import { xdgSchemeHandler } from './core/console/viewer-programs';
import type { ExternalLauncher } from './core/services/external-consoles';

export function desktopViewerLauncher(): ExternalLauncher {
  return systemLauncher({
    // Electron asks xdg-mime itself on Linux, but answers '' there also when xdg-utils are missing
    handles: async (scheme) => (process.platform === 'linux' ? (await xdgSchemeHandler(scheme)) !== null : app.getApplicationNameForProtocol(`${scheme}://`) !== ''),
    open: (link) => shell.openExternal(link),
  });
}
