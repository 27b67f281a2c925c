// The run history of snapshot policies at <home>/schedule-history.json: the last
// runs of each policy, the slot each policy last ran for (so a slot runs once, in
// whichever process got there first), and notices for the next time the app opens
// (a background run that could not get a password). Runners write it while they
// hold the runner lock.

import path from 'node:path';
import { z } from 'zod';
import type { StoreProblem } from '../../../shared/contract';
import { EVENT_PAYLOADS } from '../../../shared/contract-schemas';
import type { PolicyRun } from '../../../shared/schedules';
import { ProfileFile } from '../util/profile-file';
import { parseWith } from '../util/versioned-json-file';

export const HISTORY_FILE = 'schedule-history.json';
const SCHEMA_VERSION = 1;
/** runs kept per policy, newest last */
export const RUNS_KEPT = 50;
const NOTICES_KEPT = 20;

const NoticeSchema = z.object({ at: z.iso.datetime(), policyId: z.string(), message: z.string() });
export type RunNotice = z.infer<typeof NoticeSchema>;

const EntrySchema = z.object({ policyId: z.string(), lastSlot: z.iso.datetime().optional(), runs: z.array(EVENT_PAYLOADS['schedule:run']) });
type Entry = z.infer<typeof EntrySchema>;
// a list, not a map keyed by policy id: a hostile file cannot name a key "__proto__"
const DocumentSchema = z.object({ policies: z.array(EntrySchema), notices: z.array(NoticeSchema) });
type Document = z.infer<typeof DocumentSchema>;

function entryOf(doc: Document, policyId: string): Entry | undefined {
  return doc.policies.find((e) => e.policyId === policyId);
}

export class HistoryStore {
  private constructor(private readonly doc: ProfileFile<Document>) {}

  static async open(home: string, problem: (p: StoreProblem) => void): Promise<HistoryStore> {
    const doc = await ProfileFile.open<Document>({
      file: path.join(home, HISTORY_FILE),
      version: SCHEMA_VERSION,
      empty: () => ({ policies: [], notices: [] }),
      parse: parseWith(DocumentSchema),
      body: (d) => d,
    });
    doc.onProblem(problem);
    return new HistoryStore(doc);
  }

  get problem(): StoreProblem | undefined {
    return this.doc.problem;
  }

  /** The document as it is on disk now (the caller must not change it). */
  private async read(): Promise<Document> {
    await this.doc.refresh();
    return this.doc.current();
  }

  /** Changes a copy of the document as it is on disk now. */
  private change<R>(edit: (doc: Document) => R): Promise<R> {
    return this.doc.update((current) => {
      const next = structuredClone(current);
      const result = edit(next);
      return { next, result };
    });
  }

  /** Runs of one policy, newest first. */
  async runs(policyId: string): Promise<PolicyRun[]> {
    return structuredClone([...(entryOf(await this.read(), policyId)?.runs ?? [])].reverse());
  }

  async lastRun(policyId: string): Promise<PolicyRun | undefined> {
    const last = entryOf(await this.read(), policyId)?.runs.at(-1);
    return last && structuredClone(last);
  }

  async lastSlots(): Promise<Map<string, string>> {
    const doc = await this.read();
    return new Map(doc.policies.flatMap((e) => (e.lastSlot ? [[e.policyId, e.lastSlot] as const] : [])));
  }

  /** Records a run (new, or progressed: same id) and, for a scheduled one, the slot it stands for. */
  record(run: PolicyRun, slot?: Date): Promise<void> {
    return this.change((doc) => {
      let entry = entryOf(doc, run.policyId);
      if (!entry) doc.policies.push((entry = { policyId: run.policyId, runs: [] }));
      const at = entry.runs.findIndex((r) => r.id === run.id);
      if (at === -1) entry.runs.push(run);
      else entry.runs[at] = run;
      entry.runs = entry.runs.slice(-RUNS_KEPT);
      if (slot) entry.lastSlot = slot.toISOString();
    });
  }

  /**
   * Runs still marked running by a runner that is gone (it crashed or was killed):
   * called by the holder of the runner lock, so no other runner is running them.
   */
  async closeInterrupted(now: Date): Promise<PolicyRun[]> {
    if (!(await this.read()).policies.some((e) => e.runs.some((r) => r.outcome === 'running'))) return [];
    return this.change((doc) => {
      const closed: PolicyRun[] = [];
      for (const entry of doc.policies) {
        for (const run of entry.runs) {
          if (run.outcome !== 'running') continue;
          run.outcome = 'failure';
          run.finishedAt = now.toISOString();
          for (const item of run.items) {
            if (!item.created && !item.error) item.error = { code: 'CANCELLED', message: 'The run was interrupted (the program running it stopped).' };
          }
          closed.push(run);
        }
      }
      return closed;
    });
  }

  forget(policyId: string): Promise<void> {
    return this.change((doc) => {
      doc.policies = doc.policies.filter((e) => e.policyId !== policyId);
      doc.notices = doc.notices.filter((n) => n.policyId !== policyId);
    });
  }

  addNotice(notice: RunNotice): Promise<void> {
    return this.change((doc) => {
      doc.notices = [...doc.notices, notice].slice(-NOTICES_KEPT);
    });
  }

  /** The notices not yet shown; they are shown once. */
  async takeNotices(): Promise<RunNotice[]> {
    if ((await this.read()).notices.length === 0) return [];
    return this.change((doc) => doc.notices.splice(0));
  }
}
