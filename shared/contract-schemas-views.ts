// Runtime schemas for the navigation views' channels (issue 16): tags, folders, saved searches.

import { z } from 'zod';
import type { OwnLabels, SavedSearch } from './labels';

const Id = z.string().min(1).max(512);
const Ids = z.array(Id).min(1).max(10_000);
export const TagSchema = z.string().trim().min(1, 'must not be empty').max(128).refine((t) => !/[;,\n]/.test(t), 'may not hold ";" "," or a line break');
export const FolderSchema = z.string().trim().min(1).max(1024).startsWith('/', 'starts with "/"');
const SavedSearchDraftSchema = z.strictObject({ name: z.string().trim().min(1, 'must not be empty').max(200), query: z.string().max(4096) });

export const OwnLabelsSchema = z.object({ tags: z.record(z.string(), z.array(z.string())), folders: z.record(z.string(), z.string()), emptyFolders: z.array(z.string()).optional() }) satisfies z.ZodType<OwnLabels>;
export const SavedSearchSchema = z.object({ id: z.string(), name: z.string(), query: z.string(), createdAt: z.string() }) satisfies z.ZodType<SavedSearch>;

export const VIEW_CHANNEL_SCHEMAS = {
  'labels:own': z.tuple([]),
  'labels:tags': z.tuple([Ids, z.strictObject({ add: z.array(TagSchema).max(64), remove: z.array(z.string().max(128)).max(64) })]),
  'labels:tagsWhere': z.tuple([Ids]),
  'labels:folder': z.tuple([Ids, FolderSchema.nullable()]),
  'labels:createFolder': z.tuple([FolderSchema, Id.nullable()]),
  'labels:renameFolder': z.tuple([FolderSchema, FolderSchema.nullable()]),
  'searches:list': z.tuple([]),
  'searches:save': z.tuple([SavedSearchDraftSchema, Id.optional()]),
  'searches:remove': z.tuple([Id]),
  'searches:export': z.tuple([z.array(Id).max(1000).optional()]),
  'searches:exportXenSearch': z.tuple([z.array(Id).max(1000).optional()]),
  'searches:import': z.tuple([z.string().max(4 * 1024 * 1024)]),
};

export const VIEW_CHANNEL_ARG_NAMES = {
  'labels:own': [],
  'labels:tags': ['nodeIds', 'change'],
  'labels:tagsWhere': ['nodeIds'],
  'labels:folder': ['nodeIds', 'folder'],
  'labels:createFolder': ['path', 'serverId'],
  'labels:renameFolder': ['from', 'to'],
  'searches:list': [],
  'searches:save': ['draft', 'id'],
  'searches:remove': ['id'],
  'searches:export': ['ids'],
  'searches:exportXenSearch': ['ids'],
  'searches:import': ['content'],
} as const;

export const VIEW_EVENT_PAYLOADS = {
  'labels:changed': OwnLabelsSchema,
  'searches:changed': z.object({ searches: z.array(SavedSearchSchema) }),
};
