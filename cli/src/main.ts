#!/usr/bin/env node
// The `onionchat` command. Exits with the status the command chose once its output
// has left (an unfinished SOCKS socket must not keep a finished command alive).

import { processIo } from './context.js';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), processIo());
process.stdout.write('', () => process.exit(code));
