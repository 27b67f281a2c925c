// VDI.destroy (its space back to the SR), VDI.resize (grown only, the SR's space taken) and task.* (create, cancel, destroy, and the
// setters another client's own task reports through: set_progress, set_status).
import type { Param, SimCore } from '../core';
import { XapiFailure } from '../failure';
import { cancelTask, createTaskRecord } from '../tasks';
import { account, srFree } from './devices';

/** The SR backend's failures as xapi passes them on: SR_BACKEND_FAILURE_<SM code> ["", text, ""]. */
const BACKEND_FAILURE = { vdiSize: 'SR_BACKEND_FAILURE_79', noSpace: 'SR_BACKEND_FAILURE_44' } as const;

const SESSION: Param = ['session ref', 'session_id'];

export function registerObjectMethods(core: SimCore): void {
  const vdiDestroyCheck = (c: SimCore, vdi: string) => {
    const r = c.db.get('VDI', vdi)!;
    if (Object.keys(r.current_operations as object).length) throw new XapiFailure('OTHER_OPERATION_IN_PROGRESS', 'VDI', vdi);
    for (const vbd of r.VBDs as string[]) {
      if (c.db.get('VBD', vbd)?.currently_attached) throw new XapiFailure('VDI_IN_USE', vdi, 'destroy');
    }
  };
  core.register({
    name: 'VDI.destroy',
    params: [SESSION, ['VDI ref', 'self']],
    errors: [],
    async: true,
    precheck: ({ core: c }, args) => {
      vdiDestroyCheck(c, args[1] as string);
      return { cls: 'VDI', ref: args[1] as string, op: 'destroy' };
    },
    run: ({ core: c }, args) => {
      const vdi = args[1] as string;
      vdiDestroyCheck(c, vdi);
      // xapi removes the (detached) VBDs that still point at the VDI
      const record = c.db.get('VDI', vdi)!;
      for (const vbd of (record.VBDs as string[]).slice()) if (c.db.get('VBD', vbd)) c.db.remove('VBD', vbd);
      c.db.remove('VDI', vdi);
      account(c, record.SR as string, -(Number(record.physical_utilisation) || 0));
      return undefined;
    },
  });

  // Xapi_vdi.resize: the allowed-operations check (an attached disk is VDI_IN_USE [vdi, "resize"]), then the
  // SR backend, which never shrinks (LVHD: VDISize, code 79) and needs the room (SRNoSpace, code 44)
  // (the Async form runs it before the task locks the VDI; run() then checks only the attachment again)
  const vdiResizeCheck = (c: SimCore, vdi: string, locked = false) => {
    const r = c.db.get('VDI', vdi)!;
    if (!locked && Object.keys(r.current_operations as object).length) throw new XapiFailure('OTHER_OPERATION_IN_PROGRESS', 'VDI', vdi);
    if (!locked && !(r.allowed_operations as string[]).includes('resize')) throw new XapiFailure('OPERATION_NOT_ALLOWED', `VDI ${vdi} cannot be resized`);
    for (const vbd of r.VBDs as string[]) {
      if (c.db.get('VBD', vbd)?.currently_attached) throw new XapiFailure('VDI_IN_USE', vdi, 'resize');
    }
  };
  core.register({
    name: 'VDI.resize',
    params: [SESSION, ['VDI ref', 'vdi'], ['int', 'size']],
    errors: [],
    async: true,
    precheck: ({ core: c }, args) => {
      vdiResizeCheck(c, args[1] as string);
      return { cls: 'VDI', ref: args[1] as string, op: 'resize' };
    },
    run: ({ core: c, taskRef }, args) => {
      const vdi = args[1] as string;
      vdiResizeCheck(c, vdi, taskRef !== undefined);
      const record = c.db.get('VDI', vdi)!;
      const now = Number(record.virtual_size) || 0;
      const size = Number(args[2]);
      if (size < now) throw new XapiFailure(BACKEND_FAILURE.vdiSize, '', 'VDI Invalid size [opterr=shrinking not allowed]', '');
      const grow = size - now;
      if (grow > srFree(c, record.SR as string)) throw new XapiFailure(BACKEND_FAILURE.noSpace, '', 'There is insufficient space', '');
      c.db.update('VDI', vdi, { virtual_size: size, physical_utilisation: (Number(record.physical_utilisation) || 0) + grow });
      account(c, record.SR as string, grow);
      return undefined;
    },
  });

  core.register({
    name: 'task.create',
    params: [SESSION, ['string', 'label'], ['string', 'description']],
    errors: [],
    run: (ctx, [, label, description]) => createTaskRecord(ctx, label as string, description as string),
  });
  core.register({
    name: 'task.cancel',
    params: [SESSION, ['task ref', 'task']],
    errors: ['OPERATION_NOT_ALLOWED'],
    async: true,
    run: (ctx, [, task]) => {
      cancelTask(ctx, task as string);
      return undefined;
    },
  });
  core.register({
    name: 'task.set_progress',
    params: [SESSION, ['task ref', 'self'], ['float', 'value']],
    errors: [],
    run: ({ core: c }, [, task, value]) => {
      c.db.set('task', task as string, 'progress', value);
      return undefined;
    },
  });
  core.register({
    name: 'task.set_status',
    params: [SESSION, ['task ref', 'self'], ['enum task_status_type', 'value']],
    errors: [],
    run: ({ core: c }, [, task, value]) => {
      c.db.update('task', task as string, { status: value, ...(value === 'pending' ? {} : { finished: c.now() }) });
      return undefined;
    },
  });
  core.register({
    name: 'task.destroy',
    params: [SESSION, ['task ref', 'self']],
    errors: [],
    run: (ctx, [, task]) => {
      const state = ctx.core.db.get('task', task as string)!;
      if (state.status === 'pending') cancelTask(ctx, task as string);
      ctx.core.db.remove('task', task as string);
      return undefined;
    },
  });
}
