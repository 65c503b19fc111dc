import { describe, expect, it } from 'vitest';
import { checkLocaleFiles, compareToReference, expandCatalog, parseCatalog, type Catalog } from '../../../scripts/prompts/catalog.js';

const words = { '@star': 'star', '@pound': 'pound', '@many': 'more than one hundred' };
const reference: Catalog = { ...words, welcome: 'Welcome.', 'help-6': 'To mute, press {key} 6.' };
const plain = { needsSpeakForm: false };
const chinese = { needsSpeakForm: true };
const zh = (text: string, speak: string) => ({ text, speak });

function check(raw: unknown, rules = plain, locale = 'fr-FR'): string[] {
  const parsed = parseCatalog(locale, raw, rules);
  return [...parsed.problems, ...compareToReference(locale, parsed.catalog, reference, 'en-US', parsed.invalid)];
}

describe('the catalog checker', () => {
  it('accepts a catalog with the same keys and placeholders', () => {
    expect(check({ ...words, welcome: 'Bienvenue.', 'help-6': 'Pour couper le micro, appuyez sur {key} 6.' })).toEqual([]);
  });

  it('names a key the locale lacks', () => {
    expect(check({ ...words, 'help-6': '{key} 6' })).toEqual(['fr-FR welcome: missing (en-US has it)']);
  });

  it('names an extra key', () => {
    expect(check({ ...reference, bonjour: 'Bonjour.' })).toEqual(['fr-FR bonjour: extra key (en-US does not have it)']);
  });

  it('requires the three words', () => {
    const { '@many': _many, ...rest } = reference;
    expect(parseCatalog('de-DE', rest, plain).problems).toEqual(['de-DE @many: missing (a word every catalog defines)']);
  });

  it('names a prompt that lost its {key}, and one that gained it', () => {
    expect(check({ ...words, welcome: 'Bienvenue {key}.', 'help-6': 'Appuyez sur étoile 6.' })).toEqual([
      'fr-FR welcome: value has {key} (en-US does not)',
      'fr-FR help-6: value lacks {key} (en-US has it)',
    ]);
  });

  it('checks the placeholder in both the written and the spoken form', () => {
    const problems = check({ ...words, welcome: zh('欢迎', 'huan1 ying2'), 'help-6': zh('按{key}6', 'an4 liu4') }, plain, 'zh-CN');
    expect(problems).toEqual(['zh-CN help-6: speak lacks {key} (en-US has it)']);
  });

  it('reports a translated placeholder once, not also as missing', () => {
    expect(check({ ...words, welcome: 'Benvenuto.', 'help-6': 'Premi {chiave} 6.' }, plain, 'it-IT')).toEqual([
      'it-IT help-6: value has {chiave}; the only placeholder is {key}',
    ]);
  });

  describe('in Chinese and Japanese', () => {
    const good = {
      '@star': zh('星号键', 'xing1 hao4 jian4'),
      '@pound': zh('井号键', 'jing3 hao4 jian4'),
      '@many': zh('一百多', 'yi4 bai3 duo1'),
      welcome: zh('欢迎。', 'huan1 ying2.'),
      'help-6': zh('请按{key}6。', 'qing3 an4 {key} liu4.'),
    };

    it('accepts {text, speak} values', () => {
      expect(check(good, chinese, 'zh-CN')).toEqual([]);
    });

    it('refuses a plain string', () => {
      expect(check({ ...good, welcome: '欢迎。' }, chinese, 'zh-CN')).toEqual([
        'zh-CN welcome: must be {"text": ..., "speak": ...} in zh-CN, not a plain string',
      ]);
    });

    it('refuses an object without both fields, or with more', () => {
      expect(check({ ...good, welcome: { text: '欢迎。' } }, chinese, 'zh-CN')).toHaveLength(1);
      expect(check({ ...good, welcome: { ...good.welcome, note: 'x' } }, chinese, 'zh-CN')).toHaveLength(1);
    });

    it('refuses Han characters in speak (the voices cannot read them)', () => {
      expect(check({ ...good, welcome: zh('ようこそ', 'ようこそ 会議') }, chinese, 'ja-JP')).toEqual([
        'ja-JP welcome: speak has Han characters; espeak-ng needs pinyin with tone numbers (zh) or kana (ja)',
      ]);
    });
  });

  it('refuses values that are neither strings nor {text, speak}, and empty text', () => {
    expect(check({ ...reference, welcome: 42 })).toEqual(['fr-FR welcome: a value is a string or {"text": ..., "speak": ...}']);
    expect(check({ ...reference, welcome: ' ' })).toEqual(['fr-FR welcome: value is empty']);
    expect(check([])).toEqual(['fr-FR: the catalog must be a JSON object of key → value', ...Object.keys(reference).map((k) => `fr-FR ${k}: missing (en-US has it)`)]);
  });
});

describe('checkLocaleFiles', () => {
  it('names a missing locale and one that is not ours', () => {
    expect(checkLocaleFiles(['en-US.json', 'fr.json', 'README.md', 'fr-CA'], ['en-US', 'ja-JP'])).toEqual([
      'ja-JP: prompts/ja-JP.json is missing',
      'fr: prompts/fr.json is not one of the locales (en-US, ja-JP)',
    ]);
  });
});

describe('expandCatalog', () => {
  it('renders a {key} prompt twice, with the spoken words for star and pound, and adds the numbers', () => {
    const catalog: Catalog = {
      '@star': zh('星号键', 'xing1 hao4 jian4'),
      '@pound': zh('井号键', 'jing3 hao4 jian4'),
      '@many': zh('一百多', 'yi4 bai3 duo1'),
      welcome: zh('欢迎。', 'huan1 ying2.'),
      'help-6': zh('请按{key}6。', 'qing3 an4 {key} liu4.'),
    };
    const sounds = expandCatalog(catalog, 'mandarin-pinyin');
    expect(sounds.slice(0, 3)).toEqual([
      { name: 'welcome', speak: 'huan1 ying2.' },
      { name: 'help-6-star', speak: 'qing3 an4 xing1 hao4 jian4 liu4.' },
      { name: 'help-6-pound', speak: 'qing3 an4 jing3 hao4 jian4 liu4.' },
    ]);
    expect(sounds.find((s) => s.name === 'number-42')).toEqual({ name: 'number-42', speak: 'si4 shi2 er4' });
    expect(sounds.at(-1)).toEqual({ name: 'number-many', speak: 'yi4 bai3 duo1' });
    expect(sounds.filter((s) => s.name.startsWith('number-'))).toHaveLength(102);
  });
});
