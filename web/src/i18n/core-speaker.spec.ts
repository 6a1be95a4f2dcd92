// The core's sentences through the web's speaker: the catalogue's words in the interface
// language, the core's English where there is none, names isolated in right-to-left text.
import { sayDuration, sayer, sayList, sayNumber, setSpeaker } from '@onionchat/client';
import i18next from 'i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { CORE_NAMESPACE, installCoreSpeaker } from './core-speaker';

const ENGLISH = {
  'test.hello': 'Hello {{name}}',
  'test.files_one': '{{count}} file',
  'test.files_other': '{{count}} files',
  'test.untranslated': 'Only in English',
};
const say = sayer(ENGLISH);

async function speakerIn(language: string, core: Record<string, string>) {
  const i18n = i18next.createInstance();
  await i18n.init({ lng: language, fallbackLng: 'en', resources: { [language]: { [CORE_NAMESPACE]: core } } });
  installCoreSpeaker(i18n);
  return i18n;
}

describe('the core speaker', () => {
  afterEach(() => setSpeaker(null));

  it('leaves English to the core’s own tables', async () => {
    await speakerIn('en', {});
    expect(say('test.hello', { name: 'Alice' })).toBe('Hello Alice');
    expect(say('test.files', { count: 2 })).toBe('2 files');
    expect(sayDuration(86_400)).toBe('1 day');
    expect(sayList(['alice', 'bob', 'carol'])).toBe('alice, bob and carol');
    expect(sayNumber(8000)).toBe('8,000');
  });

  it('words a sentence from the language’s catalogue, with its plural forms', async () => {
    await speakerIn('ru', {
      'test.hello': 'Привет, {{name}}',
      'test.files_one': '{{count}} файл',
      'test.files_few': '{{count}} файла',
      'test.files_many': '{{count}} файлов',
      'test.files_other': '{{count}} файла',
    });
    expect(say('test.hello', { name: 'Алиса' })).toBe('Привет, Алиса');
    expect(say('test.files', { count: 1 })).toBe('1 файл');
    expect(say('test.files', { count: 3 })).toBe('3 файла');
    expect(say('test.files', { count: 5 })).toBe('5 файлов');
    expect(say('test.untranslated'), 'a key the catalogue lacks').toBe('Only in English');
    expect(sayDuration(7_200)).toBe('2 часа');
    expect(sayList(['Алиса', 'Борис', 'Вера'])).toBe('Алиса, Борис и Вера');
  });

  it('isolates names in a right-to-left language, and words durations with its digits', async () => {
    await speakerIn('fa', { 'test.hello': 'سلام {{name}}' });
    expect(say('test.hello', { name: 'alice' })).toBe('سلام \u2068alice\u2069');
    expect(sayDuration(3_600)).toBe('۱ ساعت');
    expect(sayNumber(8000)).toBe('۸٬۰۰۰');
    expect(sayList(['alice', 'bob'])).toBe('\u2068alice\u2069 و \u2068bob\u2069');
  });

  it('follows a change of language', async () => {
    const i18n = await speakerIn('es', { 'test.hello': 'Hola, {{name}}' });
    expect(say('test.hello', { name: 'Bob' })).toBe('Hola, Bob');
    await i18n.changeLanguage('en');
    expect(say('test.hello', { name: 'Bob' })).toBe('Hello Bob');
  });
});
