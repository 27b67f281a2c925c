// A compose project's actions are its containers' actions, one child task each (start,
// stop, restart; destroy removes the project's containers as `compose rm` does, their
// volumes as `keepDisks` says). A container already where it was asked to go is left
// alone; the first failure is the project's error, naming every container that failed.

import type { ActionParams } from '../../../../shared/contract';
import { PolyvisorError } from '../../../../shared/errors';
import type { ActionName } from '../../../../shared/model';
import type { ActionResult, TaskReporter } from '../provider';
import { containerAction, unsupported, type ActionContext } from './actions';
import type { ContainerRecord } from './engine-records';
import { COMPOSE_PROJECT, containerName, containerPowerState } from './inventory';

const PROJECT_ACTIONS = new Set<ActionName>(['start', 'shutdown', 'force_shutdown', 'reboot', 'destroy']);

export async function projectAction(
  ctx: ActionContext,
  project: string,
  action: ActionName,
  params: ActionParams,
  classify: (e: unknown, what: string) => Promise<PolyvisorError>,
): Promise<ActionResult> {
  if (!PROJECT_ACTIONS.has(action)) throw unsupported(`${action} is not available for a compose project`);
  const members = membersOf(ctx, project).filter((c) => needs(c, action));
  const { task } = ctx;
  const failed: string[] = [];
  let firstError: PolyvisorError | undefined;
  for (const [i, c] of members.entries()) {
    if (task.signal.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: `${action} of the project ${project} was cancelled.` });
    const name = containerName(c);
    const outcome = await task.child({ target: { nativeRef: c.Id, kind: 'container' }, name, action }, async (reporter: TaskReporter) => {
      try {
        return await containerAction({ ...ctx, task: reporter }, c.Id, action, params);
      } catch (e) {
        throw await classify(e, `${action} of ${name} failed`);
      }
    });
    if (outcome.status !== 'success') {
      failed.push(name);
      if (outcome.error && !firstError) firstError = new PolyvisorError(outcome.error);
    }
    task.progress((i + 1) / members.length);
  }
  if (failed.length) {
    const info = firstError?.info;
    throw new PolyvisorError({ ...(info ?? { code: 'SERVER_ERROR' }), message: `${failed.join(', ')} of the project ${project}${info ? `: ${info.message}` : ' failed.'}` });
  }
  task.progress(1);
  return {};
}

function membersOf(ctx: ActionContext, project: string): ContainerRecord[] {
  const members = [...ctx.session.view.containers.values()].filter((c) => c.Config.Labels[COMPOSE_PROJECT] === project);
  if (!members.length) throw new PolyvisorError({ code: 'NOT_FOUND', message: `The Docker engine has no compose project ${JSON.stringify(project)}.` });
  return members.sort((a, b) => containerName(a).localeCompare(containerName(b)));
}

/** Whether the action would change this container (start a running one, stop a stopped one: nothing to do). */
function needs(c: ContainerRecord, action: ActionName): boolean {
  const state = containerPowerState(c);
  switch (action) {
    case 'start':
      return state === 'halted';
    case 'shutdown':
    case 'force_shutdown':
    case 'reboot':
      return state !== 'halted';
    default:
      return true;
  }
}
