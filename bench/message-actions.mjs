#!/usr/bin/env node
// What edits, deletions, reactions and replies cost when a conversation's view is built
// (client/src/chat/actions-view.ts, PROTOCOL.md §21). The session builds a room's view
// again after every change to it, so this runs once per incoming message, per open
// conversation: it has to stay far below a frame, also at Tor Browser's Safer level.
//
//   - baseline: copying the items as the view did before actions existed
//   - applyActions: resolving every action and putting its outcome on its target
//   - forgetDeleted: what filing a message costs in a room that holds deletions
//
// Usage (from the repo root, after `npm run build -w protocol -w client`):
//   node bench/message-actions.mjs [--json] [--messages N] [--runs N]
//   node --jitless bench/message-actions.mjs ...   # what Tor Browser "Safer" looks like
//
// The conversation has --messages items (default 2000): four in five texts from two
// people, the rest reactions, edits, deletions and replies naming earlier texts. Each
// mode runs --runs times (default 30, or 10 with --jitless) after a warm-up; the median
// and the slowest run are reported in milliseconds, the baseline in the same run.
import { performance } from 'node:perf_hooks';
import { JITLESS, machine } from './lib/machine.mjs';

const view = await import('../client/dist/chat/actions-view.js').catch(() => {
  console.error('client/dist is missing: run `npm run build -w protocol -w client` first.');
  process.exit(1);
});

const args = parseArgs(process.argv.slice(2));
const ALICE = '00000000-0000-4000-8000-0000000000a1';
const BOB = '00000000-0000-4000-8000-0000000000b0';

function uuid(n) {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** A conversation of `count` items, about one in five an action or a reply. */
function conversation(count) {
  const items = [];
  const texts = [];
  for (let seq = 1; seq <= count; seq++) {
    const senderId = seq % 2 === 0 ? ALICE : BOB;
    const base = {
      key: `seq:${seq}`,
      roomId: 'r',
      seq,
      senderId,
      mine: senderId === ALICE,
      state: 'sent',
      file: null,
      unsupportedType: null,
      note: null,
      time: seq * 1000,
      sentAt: seq * 1000,
      messageId: uuid(seq),
    };
    const own = texts.filter((t) => t.senderId === senderId);
    const kind = seq % 10;
    if (texts.length > 10 && kind === 3) {
      const target = texts[(seq * 7) % texts.length];
      items.push({ ...base, text: null, action: { kind: 'reaction', target, emoji: seq % 20 ? '👍' : '❤️' } });
    } else if (own.length > 10 && kind === 5) {
      const target = own[(seq * 3) % own.length];
      items.push({ ...base, text: null, action: { kind: 'edit', target, text: `edited at ${seq}` } });
    } else if (own.length > 10 && kind === 7 && seq % 20 === 7) {
      const target = own[(seq * 5) % own.length];
      items.push({ ...base, text: null, action: { kind: 'delete', target, counter: null } });
    } else if (texts.length > 10 && kind === 9) {
      const replyTo = texts[(seq * 11) % texts.length];
      items.push({ ...base, text: `reply ${seq}`, replyTo });
      texts.push({ id: base.messageId, seq, senderId });
    } else {
      items.push({ ...base, text: `message number ${seq} with a few words in it` });
      texts.push({ id: base.messageId, seq, senderId });
    }
  }
  return items;
}

function measure(run, runs) {
  for (let i = 0; i < 3; i++) run();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: round(times[Math.floor(times.length / 2)]), maxMs: round(times[times.length - 1]) };
}

const round = (ms) => Math.round(ms * 100) / 100;
const items = conversation(args.messages);
const actions = items.filter((item) => item.action).length;
const nameOf = () => 'someone';
const results = {
  machine: machine(),
  messages: items.length,
  actions,
  replies: items.filter((item) => item.replyTo).length,
  baseline: measure(() => items.map((item) => ({ ...item })), args.runs),
  applyActions: measure(() => view.applyActions(items, ALICE, nameOf), args.runs),
  forgetDeleted: measure(() => view.forgetDeleted(items), args.runs),
};

if (args.json) console.log(JSON.stringify(results, null, 2));
else {
  const m = results.machine;
  console.log(`${m.cpu}, ${m.logicalCpus} CPUs, Node ${m.node}${JITLESS ? ', --jitless' : ''}`);
  console.log(`${results.messages} items: ${results.actions} actions, ${results.replies} replies; ${args.runs} runs`);
  for (const mode of ['baseline', 'applyActions', 'forgetDeleted']) {
    const r = results[mode];
    console.log(`  ${mode.padEnd(14)} median ${String(r.medianMs).padStart(8)} ms   slowest ${r.maxMs} ms`);
  }
}

function parseArgs(argv) {
  const out = { json: false, messages: 2000, runs: JITLESS ? 10 : 30 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') out.json = true;
    else if (arg === '--messages') out.messages = Number(argv[++i]);
    else if (arg === '--runs') out.runs = Number(argv[++i]);
    else {
      console.error(`Unknown option ${arg}. Usage: node bench/message-actions.mjs [--json] [--messages N] [--runs N]`);
      process.exit(2);
    }
  }
  if (!Number.isSafeInteger(out.messages) || out.messages < 20) out.messages = 2000;
  if (!Number.isSafeInteger(out.runs) || out.runs < 1) out.runs = JITLESS ? 10 : 30;
  return out;
}
