// Types of page-weight.mjs, for the budget test (web/e2e/page-weight.spec.ts).
export interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

export interface WeighedFile extends Sizes {
  /** Relative to the export's root ("_next/static/chunks/….js"). */
  path: string;
  /** How the page asks for it: "script", "stylesheet", "preload script", "RSC payload", "nomodule", "on demand". */
  how: string;
  missing?: boolean;
}

export interface PageWeight {
  route: string;
  html: Sizes & { path: string };
  /** The first load: what the browser fetches before the page can be used (counted). */
  files: WeighedFile[];
  total: Sizes;
  nomodule: WeighedFile[];
  /** What the page's code can fetch later (dynamic imports, workers): not counted. */
  onDemand: WeighedFile[];
  onDemandTotal: Sizes;
}

export function sizes(bytes: Uint8Array): Sizes;
export function exportedPages(outDir: string): { route: string; file: string }[];
export function htmlAssets(html: string): { first: Map<string, string>; nomodule: Set<string> };
export function pageWeight(outDir: string, route: string): PageWeight;
export const KB: number;
export function kb(bytes: number): string;
export function describePage(weight: PageWeight): string;
