// `npm run verify-instance -- <onion> [--socks URL | --tor-browser] [--web-dir DIR]`:
// builds this checkout's web client if it is out of date (reproducibly: the same sources
// give the same bytes anywhere), then checks, through tor, that the instance serves exactly
// those bytes. The checking is the terminal client's own `onionchat verify-instance`.
import { build } from './lib/build.mjs';

async function main() {
  const args = process.argv.slice(2);
  const wantsHelp = args.length === 0 || args.includes('--help') || args.includes('-h');
  // A build given with --web-dir is taken as it is (the check still holds it to its own manifest).
  if (!wantsHelp && !args.includes('--web-dir')) await build();
  const { runCli } = await import('../cli/dist/program.js');
  const { processIo } = await import('../cli/dist/context.js');
  const code = await runCli(['verify-instance', ...args], processIo());
  process.stdout.write('', () => process.exit(code));
}

main().catch((error) => {
  console.error(`\n${error.message}`);
  process.exit(1);
});
