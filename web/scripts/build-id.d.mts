/** 20 hex digits of SHA-256 over the sources the web export is built from. */
export function sourceBuildId(repoRoot: string): string;
