/** Copies what the web export is built from into `dest`, builds it there and returns its out/ folder. */
export function buildWebCopy(repoRoot: string, dest: string): Promise<string>;
