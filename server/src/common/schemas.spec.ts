// Edge cases of the shared field schemas that the fuzz tests would only hit by luck.
import { describe, expect, it } from 'vitest';
import { ZodBody } from './zod-body.pipe.js';
import { pageQuery, readBody } from '../messages/messages.schemas.js';

const problem = (pipe: ZodBody<never>, value: unknown) => {
  try {
    pipe.transform(value);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
};

describe('numbers in query strings', () => {
  const page = new ZodBody(pageQuery) as ZodBody<never>;

  it('takes plain decimal digits', () => {
    expect(new ZodBody(pageQuery).transform({ after: '12', limit: '5' })).toEqual({ after: 12, limit: 5 });
  });

  it.each([['0x10'], ['1e3'], [' 5'], [''], ['-1'], ['1.5'], ['+7'], ['99999999999999999']])(
    'refuses %j instead of reading it as some number',
    (text) => {
      expect(problem(page, { after: text })).toMatch(/^after: must be a whole number, not negative$/);
    },
  );

  it('refuses a parameter given twice', () => {
    expect(problem(page, { before: ['1', '2'] })).toBe('before: must be given once');
  });
});

describe('numbers in JSON bodies', () => {
  const read = new ZodBody(readBody) as ZodBody<never>;

  it.each([['5'], [true], [null], [[]], [1.5], [-1], [2 ** 53]])('refuses seq %j', (seq) => {
    expect(problem(read, { seq })).toMatch(/^seq: /);
  });

  it('says a number too large is too large, not that it is not whole', () => {
    for (const seq of [2 ** 53, 1e300]) {
      expect(problem(read, { seq })).toBe(`seq: must be at most ${Number.MAX_SAFE_INTEGER}`);
    }
  });

  it('says what is missing', () => {
    expect(problem(read, {})).toMatch(/^seq: /);
  });
});
