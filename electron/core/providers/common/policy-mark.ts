// The mark a snapshot taken for a policy carries in its description (Proxmox VE,
// vSphere): the policy's tag on its own last line, so the text a user wrote stays
// readable on the server and retention can tell the policy's snapshots from a
// user's. Only a whole last line counts: a tag quoted inside a user's text never
// makes a snapshot the policy's to delete.

import { POLICY_TAG_PREFIX, policyIdIn, policyTag } from '../../../../shared/schedules';

const escapeRegExp = (text: string) => text.replace(/[.*+?^$|()[\]{}\\]/g, '\\$&');
const TAG_LINE = new RegExp(`^${escapeRegExp(POLICY_TAG_PREFIX)}[A-Za-z0-9:._-]+$`);

/** The description to store: the user's text, then the tag on its own line (or the text alone). */
export function markDescription(description: string | undefined, policyId: string | undefined): string {
  const text = description ?? '';
  if (!policyId) return text;
  return text ? `${text}\n${policyTag(policyId)}` : policyTag(policyId);
}

/** A stored description split into what the user reads and the policy that took the snapshot. */
export function readMarkedDescription(stored: string | undefined | null): { description: string; policyId?: string } {
  const text = stored ?? '';
  const cut = text.lastIndexOf('\n');
  const last = text.slice(cut + 1).replace(/\r$/, '');
  if (!TAG_LINE.test(last)) return { description: text };
  const policyId = policyIdIn(last);
  return policyId ? { description: cut === -1 ? '' : text.slice(0, cut), policyId } : { description: text };
}

/** A label that holds only a tag (Docker): the policy id, or undefined for anything else. */
export function policyIdOfTag(value: string | undefined): string | undefined {
  return value && TAG_LINE.test(value) ? policyIdIn(value) : undefined;
}
