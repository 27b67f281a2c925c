// Polyvisor's own snapshot policies at <home>/schedules.json:
// { version: 1, policies: OwnPolicy[] }. The app and the CLI both write it (a
// profile file: one writer at a time, each change applied to what is on disk).

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { StoreProblem } from '../../../shared/contract';
import { EVENT_PAYLOADS } from '../../../shared/contract-schemas';
import { PolyvisorError } from '../../../shared/errors';
import type { SnapshotPolicy } from '../../../shared/schedules';
import { ProfileFile, ProfileFileStore, type ProfileWatchOptions } from '../util/profile-file';
import { parseWith } from '../util/versioned-json-file';

export const SCHEDULES_FILE = 'schedules.json';
const SCHEMA_VERSION = 1;
export const OWN_POLICY_PREFIX = 'polyvisor:';

/** What the profile keeps of one of Polyvisor's own policies. */
export type OwnPolicy = Omit<SnapshotPolicy, 'runner' | 'lastRun' | 'nextRun' | 'note'> & {
  createdAt: string;
  /** slots before this time are not run (the policy was created, re-timed or enabled then) */
  scheduleFrom: string;
  /** the members' names when they were chosen, in the order of `members` (for runs whose server cannot be reached) */
  memberNames?: string[];
};

const OwnPolicySchema = EVENT_PAYLOADS['schedule:changed']
  .omit({ runner: true, lastRun: true, nextRun: true, note: true })
  .extend({ id: z.string().startsWith(OWN_POLICY_PREFIX), createdAt: z.iso.datetime(), scheduleFrom: z.iso.datetime(), memberNames: z.array(z.string()).optional() });

const DocumentSchema = z.object({ policies: z.array(OwnPolicySchema) });
type Document = z.infer<typeof DocumentSchema>;

export function isOwnPolicyId(id: string): boolean {
  return id.startsWith(OWN_POLICY_PREFIX);
}

export class OwnPolicyStore extends ProfileFileStore<Document> {
  static async open(home: string, problem: (p: StoreProblem) => void): Promise<OwnPolicyStore> {
    const doc = await ProfileFile.open<Document>({
      file: path.join(home, SCHEDULES_FILE),
      version: SCHEMA_VERSION,
      empty: () => ({ policies: [] }),
      parse: parseWith(DocumentSchema),
      body: (d) => d,
    });
    doc.onProblem(problem);
    return new OwnPolicyStore(doc);
  }

  /** The policies as they are on disk now. */
  async list(): Promise<OwnPolicy[]> {
    await this.doc.refresh();
    return structuredClone(this.doc.current().policies);
  }

  /** Follows schedules.json: `listener` hears the policies before and after another process changed them. */
  watch(listener: (before: OwnPolicy[], after: OwnPolicy[]) => void, options: ProfileWatchOptions): void {
    this.follow(({ before, after }) => listener(before.policies, after.policies), options);
  }

  async get(id: string): Promise<OwnPolicy | undefined> {
    return (await this.list()).find((p) => p.id === id);
  }

  async require(id: string): Promise<OwnPolicy> {
    const policy = await this.get(id);
    if (!policy) throw notFound(id);
    return policy;
  }

  add(fields: Omit<OwnPolicy, 'id' | 'createdAt' | 'scheduleFrom'>, now: Date): Promise<OwnPolicy> {
    const policy: OwnPolicy = { ...fields, id: `${OWN_POLICY_PREFIX}${randomUUID()}`, createdAt: now.toISOString(), scheduleFrom: now.toISOString() };
    return this.doc.update((d) => ({ next: { policies: [...d.policies, policy] }, result: structuredClone(policy) }));
  }

  /** `change` gets the policy as it is on disk now and returns it changed. */
  update(id: string, change: (current: OwnPolicy) => OwnPolicy): Promise<OwnPolicy> {
    return this.doc.update((d) => {
      const current = d.policies.find((p) => p.id === id);
      if (!current) throw notFound(id);
      const next = { ...change(structuredClone(current)), id, createdAt: current.createdAt };
      return { next: { policies: d.policies.map((p) => (p.id === id ? next : p)) }, result: structuredClone(next) };
    });
  }

  remove(id: string): Promise<OwnPolicy> {
    return this.doc.update((d) => {
      const current = d.policies.find((p) => p.id === id);
      if (!current) throw notFound(id);
      return { next: { policies: d.policies.filter((p) => p.id !== id) }, result: current };
    });
  }
}

function notFound(id: string): PolyvisorError {
  return new PolyvisorError({ code: 'NOT_FOUND', message: `No snapshot policy with id ${JSON.stringify(id)}.` });
}
