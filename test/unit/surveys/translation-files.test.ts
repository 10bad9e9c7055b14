import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { getCatalog } from '../../../surveys/catalog.service.js';
import type { SurveyDefinition } from '../../../surveys/definition.schema.js';
import { validateDefinition } from '../../../surveys/definition.service.js';
import { checkImport, exportTranslations, readTranslationFile } from '../../../surveys/translation-files.js';
import { extractStrings, setStrings } from '../../../surveys/translation.js';
import { ValidationError } from '../../../server/errors.js';
import { buildDefinition } from '../../fixtures/builders.js';

function fixture(): SurveyDefinition {
  const result = validateDefinition(buildDefinition(), getCatalog().topicIds);
  if (!result.ok) throw new Error('fixture is invalid');
  return result.definition;
}

describe('translation files', () => {
  it('setStrings sets the given keys, removes emptied ones, leaves the rest and never touches the source language', () => {
    const next = setStrings(fixture(), 'es', { title: '', 'questions.rating.label': '¿Qué tal?' });
    expect(next.title).to.deep.equal({ en: 'Test survey', ar: 'استطلاع تجريبي' });
    expect(extractStrings(next, 'es')['questions.rating.label']).to.equal('¿Qué tal?');
    expect(extractStrings(next, 'es')['questions.interests.label']).to.equal('¿Intereses?');
    expect(setStrings(fixture(), 'en', { title: '' }).title.en).to.equal('Test survey');
  });

  it('checkImport sorts entries into texts to apply, unknown keys, bad values and empty ones', () => {
    const result = checkImport(fixture(), { title: ' Título ', intro: '', 'questions.rating.label': 42, nope: 'x' });
    expect(result).to.deep.equal({ strings: { title: 'Título' }, unknown: ['nope'], invalid: ['questions.rating.label'], empty: 1 });
  });

  for (const format of ['json', 'csv', 'xlsx'] as const) {
    it(`a ${format} export reads back to the same texts`, async () => {
      const def = fixture();
      const file = await exportTranslations(def, 'es', format);
      const entries = await readTranslationFile(file.body, format);
      const filled = Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== ''));
      expect(filled).to.deep.equal(extractStrings(def, 'es'));
    });
  }

  it('the CSV export protects cells that a spreadsheet would run as formulas, and the import undoes it', async () => {
    const def = setStrings(fixture(), 'es', { title: '=HYPERLINK("x")', intro: "'-already quoted" });
    const file = await exportTranslations(def, 'es', 'csv');
    const rows = parse(file.body.toString('utf8'), { bom: true, columns: true }) as { key: string; translation: string }[];
    expect(rows.find((r) => r.key === 'title')!.translation).to.equal('\'=HYPERLINK("x")');
    const back = await readTranslationFile(file.body, 'csv');
    expect(back.title).to.equal('=HYPERLINK("x")');
    expect(back.intro).to.equal("'-already quoted");
  });

  it('a JSON file that is not an object, or a sheet without the key and translation columns, is a problem with the file', async () => {
    for (const [body, kind] of [[Buffer.from('["a"]'), 'json'], [Buffer.from('{oops'), 'json'], [Buffer.from('a,b\n1,2\n'), 'csv']] as const) {
      try {
        await readTranslationFile(body, kind);
        expect.fail('should throw');
      } catch (err) {
        expect(err, kind).to.be.instanceOf(ValidationError);
        expect((err as ValidationError).problems[0]!.field).to.equal('file');
      }
    }
  });
});
