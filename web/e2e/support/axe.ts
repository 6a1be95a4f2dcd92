// An automated accessibility check of what a page shows right now, with axe-core, in
// Chromium (playwright) and Firefox (puppeteer over WebDriver BiDi). The app's Content
// Security Policy allows no inline or injected script, so axe's source is handed to the
// driver's own evaluation, which runs outside the page's CSP (the test checks that the
// page still refuses a script it adds itself).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page as PlaywrightPage } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';

export type AnyPage = PlaywrightPage | PuppeteerPage;

/** WCAG 2.0 and 2.1, levels A and AA, and axe's best practices. */
const RUN_ONLY = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * Rules turned off, each with its reason. Keep this empty unless a rule cannot apply:
 * a violation is fixed in the component, not silenced here.
 */
const DISABLED_RULES: Record<string, string> = {};

const MAX_NODES = 8;
const MAX_HTML = 240;

let axeSource: string | undefined;
function source(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; html: string; summary: string }[];
}

// Playwright and puppeteer pages both evaluate a string expression or a function with one
// argument; their typings differ, so one narrow shape is used for both.
type Evaluate = (fn: string | ((arg: never) => unknown), arg?: unknown) => Promise<unknown>;
const evaluate = (page: AnyPage): Evaluate => (page as unknown as { evaluate: Evaluate }).evaluate.bind(page);

/** Puts axe-core into the page (again after every navigation: a new document forgets it). */
export async function injectAxe(page: AnyPage): Promise<void> {
  const run = evaluate(page);
  if (await run('typeof window.axe === "object"')) return;
  await run(`${source()}\n;void 0`);
  if (!(await run('typeof window.axe === "object"'))) throw new Error('axe-core did not load into the page');
}

/** Runs axe over the whole document and returns its violations, shortened for a report. */
export async function axeViolations(page: AnyPage): Promise<Violation[]> {
  await injectAxe(page);
  const options = {
    runOnly: { type: 'tag', values: RUN_ONLY },
    rules: Object.fromEntries(Object.keys(DISABLED_RULES).map((id) => [id, { enabled: false }])),
    resultTypes: ['violations'],
  };
  const found = await evaluate(page)(
    (async (opts: object) => {
      type AxeNode = { target: unknown[]; html: string; failureSummary?: string };
      type AxeResult = { id: string; impact: string | null; help: string; nodes: AxeNode[] };
      const axe = (
        window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: AxeResult[] }> } }
      ).axe;
      const result = await axe.run(document, opts);
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({
          target: n.target.map(String).join(' >> '),
          html: n.html,
          summary: n.failureSummary ?? '',
        })),
      }));
    }) as (arg: never) => unknown,
    options,
  );
  return found as Violation[];
}

const cap = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** A readable report: rule, impact, what it asks, and the elements that fail it (capped). */
export function formatViolations(where: string, violations: readonly Violation[]): string {
  const lines = [`axe: ${violations.length} rule(s) violated on ${where}`];
  for (const v of violations) {
    lines.push(`- ${v.id} [${v.impact ?? 'unknown'}]: ${v.help} (${v.nodes.length} element(s))`);
    for (const node of v.nodes.slice(0, MAX_NODES)) {
      lines.push(`    at ${node.target}`);
      lines.push(`      ${cap(node.html.replace(/\s+/g, ' '), MAX_HTML)}`);
      const summary = node.summary.replace(/\s*\n\s*/g, ' / ');
      if (summary) lines.push(`      ${cap(summary, MAX_HTML * 2)}`);
    }
    if (v.nodes.length > MAX_NODES) lines.push(`    … and ${v.nodes.length - MAX_NODES} more`);
  }
  return lines.join('\n');
}

/** Fails with the report when axe finds any violation on the page as it is now. */
export async function expectNoAxeViolations(page: AnyPage, where: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length > 0) throw new Error(formatViolations(where, violations));
}

export const disabledAxeRules = (): Readonly<Record<string, string>> => DISABLED_RULES;
