// Runtime schemas for the tree's channels (issue 17): the inventory in pages.
import { z } from 'zod';

/** the most nodes one page may ask for */
export const MAX_INVENTORY_PAGE = 100_000;

export const TREE_CHANNEL_SCHEMAS = {
  'inventory:page': z.tuple([z.string().min(1).max(128).nullable(), z.number().int().min(0).max(2 ** 31), z.number().int().min(1).max(MAX_INVENTORY_PAGE)]),
};

export const TREE_CHANNEL_ARG_NAMES = {
  'inventory:page': ['snapshot', 'offset', 'limit'],
};
