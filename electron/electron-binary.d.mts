export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };
export function findElectronBinary(env?: NodeJS.ProcessEnv): ElectronBinary;
