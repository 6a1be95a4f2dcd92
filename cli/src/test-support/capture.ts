// Streams that keep what is written to them, for running the program in a test.
import { PassThrough, Writable } from 'node:stream';
import type { Io } from '../context.js';

export interface CapturedIo extends Io {
  out: () => string;
  err: () => string;
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

export function capturedIo(env: NodeJS.ProcessEnv = {}): CapturedIo {
  const stdout = sink();
  const stderr = sink();
  const stdin = new PassThrough();
  stdin.end();
  return { stdout: stdout.stream, stderr: stderr.stream, stdin, env, out: stdout.text, err: stderr.text };
}
