// Threshold rules at <home>/thresholds.json: { version: 1, rules: ThresholdRule[] }.
// A profile file like schedules.json: the app and the CLI both write it (one writer at
// a time, each change applied to what is on disk); an unusable file is kept aside and
// reported, and the app follows changes made by another process.

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { StoreProblem } from '../../../shared/contract';
import { ThresholdRuleSchema } from '../../../shared/contract-schemas-thresholds';
import { PolyvisorError } from '../../../shared/errors';
import { ruleKinds, type ThresholdDraft, type ThresholdRule } from '../../../shared/thresholds';
import { ProfileFile, ProfileFileStore, type ProfileWatchOptions } from '../util/profile-file';
import { parseWith } from '../util/versioned-json-file';

export const THRESHOLDS_FILE = 'thresholds.json';
const SCHEMA_VERSION = 1;
const ID_PREFIX = 'threshold:';

const DocumentSchema = z.object({ rules: z.array(ThresholdRuleSchema) });
type Document = z.infer<typeof DocumentSchema>;

export class ThresholdRuleStore extends ProfileFileStore<Document> {
  static async open(home: string, problem: (p: StoreProblem) => void): Promise<ThresholdRuleStore> {
    const doc = await ProfileFile.open<Document>({
      file: path.join(home, THRESHOLDS_FILE),
      version: SCHEMA_VERSION,
      empty: () => ({ rules: [] }),
      parse: parseWith(DocumentSchema),
      body: (d) => d,
    });
    doc.onProblem(problem);
    return new ThresholdRuleStore(doc);
  }

  /** The rules as this process knows them (the app follows the file; call refresh() first elsewhere). */
  current(): ThresholdRule[] {
    return this.doc.current().rules;
  }

  /** The rules as they are on disk now. */
  async list(): Promise<ThresholdRule[]> {
    await this.doc.refresh();
    return structuredClone(this.doc.current().rules);
  }

  /** Follows thresholds.json: `listener` hears the rules after another process changed them. */
  watch(listener: (rules: ThresholdRule[]) => void, options: ProfileWatchOptions): void {
    this.follow(({ after }) => listener(after.rules), options);
  }

  add(draft: ThresholdDraft, now: Date): Promise<ThresholdRule> {
    const rule = complete(draft, `${ID_PREFIX}${randomUUID()}`, now.toISOString());
    return this.doc.update((d) => ({ next: { rules: [...d.rules, rule] }, result: structuredClone(rule) }));
  }

  update(id: string, changes: Partial<ThresholdDraft>): Promise<ThresholdRule> {
    return this.doc.update((d) => {
      const current = d.rules.find((r) => r.id === id);
      if (!current) throw notFound(id);
      const next = complete({ ...current, ...changes }, id, current.createdAt);
      return { next: { rules: d.rules.map((r) => (r.id === id ? next : r)) }, result: structuredClone(next) };
    });
  }

  remove(id: string): Promise<ThresholdRule> {
    return this.doc.update((d) => {
      const current = d.rules.find((r) => r.id === id);
      if (!current) throw notFound(id);
      return { next: { rules: d.rules.filter((r) => r.id !== id) }, result: current };
    });
  }
}

function complete(draft: ThresholdDraft, id: string, createdAt: string): ThresholdRule {
  const kinds = ruleKinds(draft);
  if (kinds.length === 0) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `None of the chosen kinds has ${draft.metric === 'diskFree' ? 'free space' : 'that metric'}.`, field: 'kinds' });
  }
  return {
    name: draft.name.trim(),
    metric: draft.metric,
    comparison: draft.comparison,
    value: draft.value,
    durationSeconds: draft.durationSeconds,
    scope: draft.scope,
    kinds: draft.kinds?.length ? kinds : [],
    severity: draft.severity,
    enabled: draft.enabled ?? true,
    id,
    createdAt,
  };
}

function notFound(id: string): PolyvisorError {
  return new PolyvisorError({ code: 'NOT_FOUND', message: `No threshold rule with id ${JSON.stringify(id)}.` });
}
