export const MANIFEST_NAME: string;
/** The manifest's bytes for an export folder. */
export function manifestOf(outDir: string): string;
/** Writes out/build-manifest.json and returns the build hash (SHA-256 of it). */
export function writeManifest(outDir: string): string;
