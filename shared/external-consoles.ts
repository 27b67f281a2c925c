// Consoles outside Polyvisor's window (issue 18): a program of the OS that is
// better at it than an in-app view, reached through a link or a small file.

/**
 * vmrc: VMware Remote Console (`vmrc://clone:<ticket>@host/?moid=…`);
 * spice: virt-viewer's remote-viewer with a `.vv` file (Proxmox spiceproxy);
 * rdp: the OS's Remote Desktop client with an `.rdp` file (Windows guests with a known address);
 * ssh: the OS terminal with an `ssh://` link (Linux guests with a known address).
 */
export type ExternalViewer = 'vmrc' | 'spice' | 'rdp' | 'ssh';

export const EXTERNAL_VIEWERS: readonly ExternalViewer[] = ['vmrc', 'spice', 'rdp', 'ssh'];

/** What `console:external` gives back. */
export interface ExternalConsole {
  viewer: ExternalViewer;
  /**
   * The host opened it with the OS's program (Electron); the page then gets neither link nor
   * file. Otherwise (web mode) the page offers the link or the file itself.
   */
  opened: boolean;
  /** vmrc:// or ssh:// (a vmrc link holds a one-time ticket: shown as a link, never logged) */
  link?: string;
  /** .vv or .rdp (a .vv file holds a one-time password) */
  file?: { name: string; content: string };
  /** no program on this machine takes it: the page says what to install */
  handlerMissing?: boolean;
}

/** A guest's operating system family, from the name its server gives it ("Microsoft Windows Server 2019", "Ubuntu Linux (64-bit)", "l26"). */
export function osFamily(os: unknown): 'windows' | 'linux' | null {
  if (typeof os !== 'string' || !os.trim()) return null;
  const name = os.toLowerCase();
  if (/windows|^win\d|^w2k|^wxp|^wvista/.test(name)) return 'windows';
  if (/linux|ubuntu|debian|centos|red ?hat|rhel|fedora|suse|alpine|arch|rocky|alma|oracle|coreos|photon|^l2[46]$/.test(name)) return 'linux';
  return null;
}

/** The first address a guest reported, IPv4 first (RDP and SSH want one the user can reach). */
export function guestAddress(ips: unknown): string | null {
  const list = Array.isArray(ips) ? ips.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
  const usable = list.filter((ip) => !/^(127\.|::1$|fe80:|169\.254\.)/i.test(ip));
  return usable.find((ip) => ip.includes('.')) ?? usable[0] ?? null;
}
