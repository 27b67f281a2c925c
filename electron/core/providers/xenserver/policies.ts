// The pool's snapshot schedules (VMSS) as the provider's server-policy facet: the
// list comes from the records kept live with the inventory; changes are the calls
// XenCenter makes (its policy wizard and VM Snapshot Schedules dialog): VMSS.create
// then VM.set_snapshot_schedule per member, the VMSS setters, members unassigned
// before VMSS.destroy (xapi refuses VMSS_HAS_VM), VMSS.snapshot_now.

import type { ServerPolicies, ServerPolicy, ServerPolicyDraft } from '../provider';
import { NULL_REF, refs, type XapiCache, type XapiRecord } from './records';
import type { XapiSession } from './session';
import { XapiInt } from './transport';
import { toServerPolicy, toVmssSchedule, VMSS_TYPES } from './vmss-map';

export interface PolicyContext {
  /** the live session (throws CONNECTION_FAILED while there is none) */
  session: () => XapiSession;
  cache: XapiCache;
  /** the zone the pool master's clock runs in (server-zone.ts) */
  timeZone: () => string;
  /** the list changed by our own call: publish it */
  changed: () => void;
}

export class XapiServerPolicies implements ServerPolicies {
  constructor(private readonly ctx: PolicyContext) {}

  list(): ServerPolicy[] {
    const zone = this.ctx.timeZone();
    return [...this.ctx.cache.vmss].map(([ref, record]) => toServerPolicy(ref, record, zone)).sort((a, b) => a.name.localeCompare(b.name));
  }

  async create(draft: ServerPolicyDraft): Promise<string> {
    const session = this.ctx.session();
    const { frequency, schedule } = toVmssSchedule(draft.frequency);
    const ref = await session.call<string>('VMSS.create', {
      name_label: draft.name,
      name_description: draft.description,
      enabled: draft.enabled,
      type: VMSS_TYPES[draft.type],
      retained_snapshots: new XapiInt(draft.retain),
      frequency,
      schedule,
    });
    try {
      await assign(session, ref, draft.memberRefs);
    } catch (err) {
      // no half-made schedule: XenCenter's wizard creates it with its VMs or not at all
      await this.undoCreate(session, ref);
      throw err;
    }
    await this.reread(session, ref);
    return ref;
  }

  async update(ref: string, changes: Partial<ServerPolicyDraft>): Promise<void> {
    const session = this.ctx.session();
    if (changes.name !== undefined) await session.call('VMSS.set_name_label', ref, changes.name);
    if (changes.description !== undefined) await session.call('VMSS.set_name_description', ref, changes.description);
    if (changes.type !== undefined) await session.call('VMSS.set_type', ref, VMSS_TYPES[changes.type]);
    if (changes.frequency !== undefined) {
      const next = toVmssSchedule(changes.frequency);
      // set_schedule first: xapi checks the values (against every frequency's keys) before anything changes;
      // set_frequency then keeps exactly the new frequency's keys (for the same frequency it changes nothing)
      await session.call('VMSS.set_schedule', ref, next.schedule);
      await session.call('VMSS.set_frequency', ref, next.frequency);
    }
    if (changes.retain !== undefined) await session.call('VMSS.set_retained_snapshots', ref, new XapiInt(changes.retain));
    if (changes.memberRefs !== undefined) {
      const now = refs(await session.call('VMSS.get_VMs', ref));
      const wanted = new Set(changes.memberRefs);
      await unassign(session, now.filter((vm) => !wanted.has(vm)));
      await assign(session, ref, changes.memberRefs.filter((vm) => !now.includes(vm)));
    }
    if (changes.enabled !== undefined) await session.call('VMSS.set_enabled', ref, changes.enabled);
    await this.reread(session, ref);
  }

  async destroy(ref: string): Promise<void> {
    const session = this.ctx.session();
    await unassign(session, refs(await session.call('VMSS.get_VMs', ref)));
    await session.call('VMSS.destroy', ref);
    this.ctx.cache.vmss.delete(ref);
    this.ctx.changed();
  }

  async runNow(ref: string): Promise<void> {
    const session = this.ctx.session();
    await session.call('VMSS.snapshot_now', ref);
    await this.reread(session, ref);
  }

  /**
   * The schedule as the server has it now, in the list at once: whoever changed it reads the
   * list next (the event stream brings the same record a moment later).
   */
  private async reread(session: XapiSession, ref: string): Promise<void> {
    this.ctx.cache.vmss.set(ref, await session.call<XapiRecord>('VMSS.get_record', ref));
    this.ctx.changed();
  }

  private async undoCreate(session: XapiSession, ref: string): Promise<void> {
    try {
      await unassign(session, refs(await session.call('VMSS.get_VMs', ref)));
      await session.call('VMSS.destroy', ref);
    } catch {
      // the member's refusal is the error to report; a schedule left behind shows in the list for the user to delete
    }
  }
}

async function assign(session: XapiSession, ref: string, vms: string[]): Promise<void> {
  for (const vm of vms) await session.call('VM.set_snapshot_schedule', vm, ref);
}

async function unassign(session: XapiSession, vms: string[]): Promise<void> {
  for (const vm of vms) await session.call('VM.set_snapshot_schedule', vm, NULL_REF);
}
