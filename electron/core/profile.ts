// Where a profile (saved servers, pins, settings) lives. Electron, web mode and
// the CLI all resolve it here so they share one profile by default; Electron's
// main process sets app's userData to this same directory.

import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'Polyvisor';

/** POLYVISOR_HOME when set, else the per-OS user-data directory Electron would use. */
export function resolveHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const explicit = env.POLYVISOR_HOME?.trim();
  if (explicit) return path.resolve(explicit);
  return path.join(userConfigDir(env, platform), APP_DIR_NAME);
}

function userConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const home = os.homedir();
  if (platform === 'win32') return env.APPDATA || path.join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME || path.join(home, '.config');
}
