// Passes bytes through until more than `max` arrive, then fails the stream.
import { Transform } from 'node:stream';

export class ByteLimitError extends Error {}

export function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) callback(new ByteLimitError(`more than ${max} bytes`));
      else callback(null, chunk);
    },
  });
}
