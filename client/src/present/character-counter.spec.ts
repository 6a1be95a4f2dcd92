import { MAX_TEXT_CHARS } from '@onionchat/protocol';
import { describe, expect, it } from 'vitest';
import { COUNTER_FROM, characterCounter } from './character-counter.js';

describe('characterCounter', () => {
  it('is hidden (and empty) until 500 characters before the limit', () => {
    expect(COUNTER_FROM).toBe(MAX_TEXT_CHARS - 500);
    expect(characterCounter(0)).toEqual({ show: false, text: '', warn: false });
    expect(characterCounter(COUNTER_FROM - 1)).toEqual({ show: false, text: '', warn: false });
  });

  it('then says how many characters are left', () => {
    expect(characterCounter(COUNTER_FROM)).toEqual({ show: true, text: '500 characters left', warn: false });
    expect(characterCounter(MAX_TEXT_CHARS - 101)).toEqual({ show: true, text: '101 characters left', warn: false });
    expect(characterCounter(MAX_TEXT_CHARS - 1).text).toBe('1 character left');
    expect(characterCounter(MAX_TEXT_CHARS).text).toBe('0 characters left');
  });

  it('warns from 100 characters left, and past the limit', () => {
    expect(characterCounter(MAX_TEXT_CHARS - 100)).toEqual({ show: true, text: '100 characters left', warn: true });
    expect(characterCounter(MAX_TEXT_CHARS)).toMatchObject({ show: true, warn: true });
    expect(characterCounter(MAX_TEXT_CHARS + 2)).toEqual({ show: true, text: '-2 characters left', warn: true });
  });
});
