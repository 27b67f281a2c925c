// Threshold rules (issue 15): Polyvisor's own alert conditions on live data, kept in the profile.
import type { ThresholdDraft, ThresholdRule } from '../thresholds';

export interface ThresholdChannels {
  /** every rule, in the order they were made */
  'thresholds:list': { args: []; result: ThresholdRule[] };
  'thresholds:create': { args: [draft: ThresholdDraft]; result: ThresholdRule };
  /** changes some of a rule's fields; its raised alerts are cleared and it is evaluated afresh */
  'thresholds:update': { args: [id: string, changes: Partial<ThresholdDraft>]; result: ThresholdRule };
  /** removes the rule and clears the alerts it raised */
  'thresholds:delete': { args: [id: string]; result: void };
}

export const THRESHOLD_CHANNELS: Record<keyof ThresholdChannels, true> = {
  'thresholds:list': true,
  'thresholds:create': true,
  'thresholds:update': true,
  'thresholds:delete': true,
};
