// The threshold rules in the renderer: loaded once, kept by the thresholds:changed event
// (a change here, from the CLI or from another window).
import { create } from 'zustand';
import type { PolyvisorClient } from '../../../shared/contract';
import { toErrorInfo } from '../../../shared/errors';
import type { ThresholdRule } from '../../../shared/thresholds';

export const useThresholds = create<{ rules: ThresholdRule[]; loaded: boolean }>(() => ({ rules: [], loaded: false }));

let following = false;

export async function followThresholds(client: PolyvisorClient, onError: (message: string) => void): Promise<void> {
  if (following) return;
  following = true;
  client.on('thresholds:changed', ({ rules }) => useThresholds.setState({ rules, loaded: true }));
  try {
    useThresholds.setState({ rules: await client.invoke('thresholds:list'), loaded: true });
  } catch (e) {
    onError(toErrorInfo(e).message);
  }
}
