import { expect } from 'chai';
import { NAMESPACES, readLocale } from '../../../server/i18n.js';
import { loadCatalog } from '../../../surveys/catalog.service.js';
import { LANGUAGES, type LanguageCode } from '../../../surveys/languages.js';
import { missingStrings, sourceKeys } from '../../../surveys/translation.js';
import { templateDefinition } from '../../fixtures/builders.js';
import { flattenLocale, PLURAL } from '../../helpers/locales.js';


/**
 * The keys a language must have: every English key, with each English plural pair replaced by
 * the plural forms that language uses (Intl.PluralRules, as i18next resolves them).
 */
function expectedKeys(lang: LanguageCode, english: Record<string, string>): string[] {
  const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  const keys = new Set<string>();
  for (const key of Object.keys(english)) {
    if (PLURAL.test(key)) {
      const base = key.replace(PLURAL, '');
      for (const c of categories) keys.add(`${base}_${c}`);
    } else keys.add(key);
  }
  return [...keys].sort();
}

const placeholders = (s: string): string[] => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).sort();

describe('translations are complete in every shipped language', () => {
  // Words that are the same in every language (product names, formats, symbols).
  const SAME_EVERYWHERE = /^(Community Needs|JSON|CSV|PDF|A4|US Letter|[\W\d{}]*|\{\{\w+\}\}.*)$/;

  for (const ns of NAMESPACES) {
    const english = flattenLocale(readLocale('en', ns));
    for (const { code } of LANGUAGES) {
      describe(`${code} (${ns})`, () => {
        const strings = flattenLocale(readLocale(code, ns));

        it(`server/locales/${code}/${ns}.json has exactly the keys ${code} needs`, () => {
          expect(Object.keys(strings).sort()).to.deep.equal(expectedKeys(code, english));
        });

        it('no string is empty, and each keeps the English placeholders', () => {
          for (const [key, value] of Object.entries(strings)) {
            expect(value.trim(), key).to.not.equal('');
            const source = english[key] ?? english[`${key.replace(PLURAL, '')}_other`] ?? '';
            const required = placeholders(source).filter((p) => !(p === 'count' && /_(zero|one|two)$/.test(key)));
            for (const p of required) expect(placeholders(value), `${code}:${key}`).to.include(p);
          }
        });

        if (code !== 'en') {
          it('strings are translated, not copies of the English', () => {
            const copied = Object.entries(strings).filter(([key, value]) => value === english[key] && !SAME_EVERYWHERE.test(value));
            expect(copied.map(([k]) => k), `${code}:${ns} untranslated`).to.have.length.below(Math.max(3, Object.keys(strings).length * 0.03));
          });
        }
      });
    }
  }

  for (const { code } of LANGUAGES) {
    it(`the built-in template has every text in ${code}`, () => {
      expect(missingStrings(templateDefinition(), code)).to.deep.equal([]);
    });
  }

  it('the template has translation keys for every question and option', () => {
    expect(sourceKeys(templateDefinition()).length).to.be.greaterThan(100);
  });

  it('the catalog loads: every topic, partner type and reason is named in every language', () => {
    const catalog = loadCatalog();
    expect(catalog.topicIds.size).to.equal(17);
    expect(Object.keys(catalog.texts).sort()).to.deep.equal(LANGUAGES.map((l) => l.code).sort());
  });

  it('the catalog: every topic suggests at least three partner types, each with a reason, a name and an invitation in every language', () => {
    const catalog = loadCatalog();
    for (const topic of catalog.topics) {
      expect(new Set(topic.partners).size, topic.id).to.be.at.least(3);
      for (const { code } of LANGUAGES) {
        const texts = catalog.texts[code];
        for (const type of topic.partners) {
          expect(texts.reasons[`${topic.id}/${type}`]?.trim(), `${code} ${topic.id}/${type}`).to.match(/\S/);
          expect(texts.partners[type]?.trim(), `${code} ${type}`).to.match(/\S/);
          expect(texts.invites[type]?.trim(), `${code} invite ${type}`).to.match(/\S/);
        }
        // A translation is not the English left in place (the proper noun "4-H" aside).
        if (code !== 'en') for (const type of topic.partners) expect(texts.reasons[`${topic.id}/${type}`], `${code} ${topic.id}/${type}`).not.to.equal(catalog.texts.en.reasons[`${topic.id}/${type}`]);
      }
    }
  });

  it('the catalog suggests senior centers and area agencies on aging for digital skills and for health', () => {
    const catalog = loadCatalog();
    for (const id of ['digital-literacy', 'health-wellness']) {
      expect(catalog.topics.find((t) => t.id === id)!.partners).to.include.members(['senior-centers', 'aging-agencies']);
    }
    expect(catalog.texts.en.invites['senior-centers']).to.equal('Add a senior center you work with');
  });
});
