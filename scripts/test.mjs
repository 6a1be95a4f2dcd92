// `npm test`: install, build, lint and type-check, then run every test (protocol,
// server on real PostgreSQL, end-to-end in Chromium and in Firefox ESR) with vitest.
import { existsSync } from 'node:fs';
import { ensureInstalled } from './lib/install.mjs';
import { build } from './lib/build.mjs';
import { npm, run } from './lib/run.mjs';
import { repoRoot } from './lib/paths.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

async function main() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM} (Debian: apt-get install chromium), or set CHROMIUM_PATH`,
    );
  }
  if (!existsSync(FIREFOX)) {
    throw new Error(
      `the browser tests need Firefox ESR, Tor Browser's engine, at ${FIREFOX} (Debian: apt-get install firefox-esr), or set FIREFOX_PATH`,
    );
  }
  await ensureInstalled();
  await build();
  console.log('Lint, format and type checks…');
  await run(npm, ['run', '--silent', 'check'], { cwd: repoRoot });
  const vitest = `${repoRoot}/node_modules/vitest/vitest.mjs`;
  await run(process.execPath, [vitest, 'run', ...process.argv.slice(2)], { cwd: repoRoot });
}

main().catch((err) => {
  console.error(`\n${err.message}`);
  process.exit(1);
});
