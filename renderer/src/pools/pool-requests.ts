// What the Add to Pool dialog asks the core: the pools the host could join, each with the servers' reason why not.
import type { PoolJoinPlan } from '../../../shared/migration';
import { getClient } from '../client';
import { ask, type Answer } from '../migration/migration-requests';

export function fetchJoinPlan(hostId: string): Promise<Answer<PoolJoinPlan>> {
  return ask(() => getClient().client.invoke('pools:joinPlan', hostId));
}
