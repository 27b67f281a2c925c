/**
 * Servers that connect at once at start when the user has not chosen (Settings → connectAtOnce).
 * Measured with the fleet bench at full scale (100 servers, 49,900 guests), back to back on this
 * 2-core machine: 8 at once had every server live at 34.5 s, 24 at once at 20.5 s — with 8, the
 * Proxmox VE clusters, vCenters and Docker engine waited in the queue behind 64 XAPI pools whose
 * loads mostly wait on their servers, not on the client.
 */
export const DEFAULT_CONNECT_AT_ONCE = 24;
