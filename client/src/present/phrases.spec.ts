import { afterEach, describe, expect, it } from 'vitest';
import { english, sayDuration, sayer, sayList, setSpeaker } from './phrasebook.js';
import { CORE_PHRASES, PHRASE_AREAS } from './phrases.js';

describe('the core phrasebook', () => {
  afterEach(() => setSpeaker(null));

  it('keeps every key in one area, under that area’s prefix', () => {
    const total = Object.values(PHRASE_AREAS).reduce((sum, table) => sum + Object.keys(table).length, 0);
    expect(Object.keys(CORE_PHRASES)).toHaveLength(total);
    for (const [area, table] of Object.entries(PHRASE_AREAS)) {
      for (const key of Object.keys(table)) expect(key.startsWith(`${area}.`), key).toBe(true);
    }
  });

  it('gives plural keys exactly the English forms one and other', () => {
    const plurals = Object.keys(CORE_PHRASES).filter((key) => /_(one|other)$/.test(key));
    for (const key of plurals) {
      const base = key.replace(/_(one|other)$/, '');
      expect(CORE_PHRASES[`${base}_one`], key).toBeDefined();
      expect(CORE_PHRASES[`${base}_other`], key).toBeDefined();
      expect(CORE_PHRASES[base], key).toBeUndefined();
    }
  });

  it('says the English with its values, picking the plural form by count', () => {
    const table = { 'x.files_one': '{{count}} file from {{name}}', 'x.files_other': '{{count}} files from {{name}}' };
    const say = sayer(table);
    expect(say('x.files', { count: 1, name: 'Alice' })).toBe('1 file from Alice');
    expect(say('x.files', { count: 3, name: 'Alice' })).toBe('3 files from Alice');
    expect(() => english(table, 'x.none')).toThrow(/no English/);
  });

  it('hands the key and values to an installed speaker instead', () => {
    const say = sayer({ 'x.hello': 'Hello {{name}}' });
    setSpeaker({
      phrase: (key, values) => (values?.name === 'Eve' ? null : `${key}|${values?.name}`),
      duration: (s) => `${s}s`,
      list: (items) => items.join('+'),
    });
    expect(say('x.hello', { name: 'Bob' })).toBe('x.hello|Bob');
    expect(say('x.hello', { name: 'Eve' }), 'the English where the speaker has none').toBe('Hello Eve');
    expect(sayDuration(60)).toBe('60s');
    expect(sayList(['a', 'b'])).toBe('a+b');
    setSpeaker(null);
    expect(say('x.hello', { name: 'Bob' })).toBe('Hello Bob');
    expect(sayDuration(86_400)).toBe('1 day');
    expect(sayDuration(120)).toBe('2 minutes');
    expect(sayList(['Alice'])).toBe('Alice');
    expect(sayList(['Alice', 'Bob'])).toBe('Alice and Bob');
    expect(sayList(['Alice', 'Bob', 'Carol'])).toBe('Alice, Bob and Carol');
  });
});
