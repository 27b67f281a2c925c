// The refusal a provider call ends with (its PolyvisorError's info); fails when it succeeds.
import { isPolyvisorError } from '../../../shared/errors';

export async function rejection(promise: Promise<unknown>): Promise<{ code: string; field?: string; serverCode?: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (isPolyvisorError(err)) return err.info;
    throw err;
  }
  throw new Error('expected a refusal');
}
