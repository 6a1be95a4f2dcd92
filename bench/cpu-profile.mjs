#!/usr/bin/env node
// Where a server's CPU time goes, from a V8 .cpuprofile (node --cpu-prof): self time by
// package (node_modules/<name>, the repository's own workspaces, Node's internals,
// garbage collection) and the functions with the most self time. bench/messages.mjs
// --profile DIR writes such profiles of the server.
//
// Usage: node bench/cpu-profile.mjs FILE.cpuprofile [--top 25] [--per N]
//   --per N: also show milliseconds per message for N messages handled in the profile.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const file = args.find((a) => a.endsWith('.cpuprofile'));
if (!file) {
  console.error('usage: node bench/cpu-profile.mjs FILE.cpuprofile [--top 25] [--per N]');
  process.exit(2);
}
const TOP = Number(option('--top', 25));
const PER = Number(option('--per', 0));
const profile = JSON.parse(readFileSync(file, 'utf8'));

/** The package a script belongs to: an npm package, a workspace of this repository, or Node. */
function packageOf(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.split('/node_modules/');
  if (modules.length > 1) {
    const rest = modules.at(-1).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const workspace = /\/(protocol|contract|client|prisma|server|tor)\/(dist|src)\//.exec(url);
  return workspace ? `@onionchat/${workspace[1]}` : url;
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map();
const deltas = profile.timeDeltas;
profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (deltas[i] ?? 0) / 1000));
const totalMs = [...selfMs.values()].reduce((a, b) => a + b, 0);
const idleMs = [...selfMs]
  .filter(([id]) => byId.get(id).callFrame.functionName === '(idle)')
  .reduce((a, [, ms]) => a + ms, 0);
const busyMs = totalMs - idleMs;

const packages = new Map();
const functions = new Map();
for (const [id, ms] of selfMs) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  if (functionName === '(idle)') continue;
  const pkg = packageOf(url, functionName || '(anonymous)');
  packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
  const key = `${functionName || '(anonymous)'} ${pkg}${url ? `:${lineNumber + 1}` : ''}`;
  functions.set(key, (functions.get(key) ?? 0) + ms);
}

const rows = (map) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([name, ms]) => ({
      name,
      'self ms': ms.toFixed(0),
      '% of busy': ((ms / busyMs) * 100).toFixed(1),
      ...(PER ? { 'ms/msg': (ms / PER).toFixed(4) } : {}),
    }));

console.log(`${file}: ${(totalMs / 1000).toFixed(1)} s sampled, ${(busyMs / 1000).toFixed(1)} s busy`);
console.log('\nSelf time by package:');
console.table(rows(packages));
console.log('\nFunctions with the most self time:');
console.table(rows(functions));
