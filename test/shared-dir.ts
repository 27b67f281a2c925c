// Where the workplace's shared folder is: beside the repository (../shared), as on CI.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const SHARED_DIR = process.env.POLYVISOR_SHARED_DIR ?? path.resolve(repoRoot, '../shared');
export const XAPI_DB_DIR = path.join(SHARED_DIR, 'fixtures/xapi-db');
