import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { getCatalog } from '../../../surveys/catalog.service.js';
import type { SurveyDefinition } from '../../../surveys/definition.schema.js';
import { validateDefinition } from '../../../surveys/definition.service.js';
import { guessMapping, IGNORE, mappingProblems, normaliseKey, type ImportVocabulary } from '../../../surveys/import-mapping.js';
import { convertRow as convert, parseDateCell, planColumns, splitList, stableSubmissionId, type RowDefaults } from '../../../surveys/import-rows.js';
import { cellText, detectDelimiter, readCsv, readXlsx } from '../../../surveys/import-table.js';
import { ImportFileError } from '../../../surveys/import.errors.js';
import { neutraliseCell, restoreCell } from '../../../surveys/spreadsheet-cells.js';
import { vocabularyFor } from '../../../server/data-view.js';
import { optionCode } from '../../../server/paper-view.js';
import { buildDefinition } from '../../fixtures/builders.js';
import { testI18n } from '../../helpers/app.js';

function definition(): SurveyDefinition {
  const result = validateDefinition(buildDefinition(), getCatalog().topicIds);
  if (!result.ok) throw new Error('fixture is invalid');
  return result.definition;
}

async function rejects(promise: Promise<unknown> | (() => unknown), code: string): Promise<ImportFileError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    expect(err).to.be.instanceOf(ImportFileError);
    expect((err as ImportFileError).code).to.equal(code);
    return err as ImportFileError;
  }
  throw new Error(`expected ${code}`);
}

describe('import: reading files', () => {
  it('detects the delimiter from the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('a,b,c\n1;2')).to.equal(',');
    expect(detectDelimiter('"a,b";c;d\n')).to.equal(';');
    expect(detectDelimiter('a\tb\n')).to.equal('\t');
    expect(detectDelimiter('single\n')).to.equal(',');
  });

  it('reads a CSV with a BOM, quoted line breaks and blank lines; rows are numbered as a spreadsheet shows them', () => {
    const table = readCsv(Buffer.from('\uFEFFinterests;ideas\n"Jobs; Coding";"two\nlines"\n\n;x\n'));
    expect(table.headers).to.deep.equal(['interests', 'ideas']);
    expect(table.rows).to.deep.equal([
      { row: 2, cells: ['Jobs; Coding', 'two\nlines'] },
      { row: 4, cells: ['', 'x'] },
    ]);
  });

  it('refuses a CSV over the row limit with 413 (speed is the benchmark\'s business, not a test\'s)', async () => {
    const big = Buffer.from(`interests\n${'job-skills\n'.repeat(100_000)}`);
    const err = await rejects(() => readCsv(big), 'tooManyRows');
    expect(err.status).to.equal(413);
  });

  it('refuses empty files, files without rows and broken quoting', async () => {
    await rejects(() => readCsv(Buffer.from('\n\n')), 'emptyFile');
    await rejects(() => readCsv(Buffer.from('interests\n')), 'noRows');
    await rejects(() => readCsv(Buffer.from('interests\n"open\n')), 'unreadableCsv');
  });

  it('reads cell values of every exceljs kind as text', () => {
    expect(cellText(null)).to.equal('');
    expect(cellText(3)).to.equal('3');
    expect(cellText(new Date('2026-03-14T10:00:00Z'))).to.equal('2026-03-14T10:00:00.000Z');
    expect(cellText({ richText: [{ text: 'Jo' }, { text: 'bs' }] })).to.equal('Jobs');
    expect(cellText({ formula: 'A1', result: 4 })).to.equal('4');
    expect(cellText({ text: 'link', hyperlink: 'https://x.test' })).to.equal('link');
  });

  it('reads the first worksheet of an XLSX, dates included', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('r');
    ws.addRow(['interests', 'submitted_at', 'household']);
    ws.addRow(['Jobs', new Date('2026-03-14T10:00:00.123Z'), 3]);
    const table = await readXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(table.headers).to.deep.equal(['interests', 'submitted_at', 'household']);
    expect(table.rows).to.deep.equal([{ row: 2, cells: ['Jobs', '2026-03-14T10:00:00.123Z', '3'] }]);
  });
});

describe('import: cells and dates', () => {
  it('neutralised cells come back exactly, even text that already started with a quote', () => {
    for (const text of ['=HYPERLINK("x")', '+1 555', '-5 stars', '@me', "'=odd", 'plain', "it's"]) {
      expect(restoreCell(neutraliseCell(text))).to.equal(text);
    }
    expect(neutraliseCell('=1+1')).to.equal("'=1+1");
    expect(neutraliseCell('plain')).to.equal('plain');
  });

  it('reads ISO dates (no offset = UTC) and Excel serial days; refuses impossible dates', () => {
    expect(parseDateCell('2026-03-14')!.toISOString()).to.equal('2026-03-14T00:00:00.000Z');
    expect(parseDateCell('2026-03-14 15:30')!.toISOString()).to.equal('2026-03-14T15:30:00.000Z');
    expect(parseDateCell('2026-03-14T15:30:00.5+02:00')!.toISOString()).to.equal('2026-03-14T13:30:00.500Z');
    expect(parseDateCell('46095.5')!.toISOString()).to.equal('2026-03-14T12:00:00.000Z');
    expect(parseDateCell('2026-02-30')).to.equal(null);
    expect(parseDateCell('14/03/2026')).to.equal(null);
  });

  it('splits lists on semicolons and numbers options a, b, … z, aa', () => {
    expect(splitList(' a ;b;; c ')).to.deep.equal(['a', 'b', 'c']);
    expect([0, 1, 25, 26, 27, 51, 52].map(optionCode)).to.deep.equal(['a', 'b', 'z', 'aa', 'ab', 'az', 'ba']);
  });
});

describe('import: mapping columns and rows', () => {
  const def = definition();
  let vocab: ImportVocabulary;
  const defaults: RowDefaults = { lang: 'en', channel: 'paper', now: new Date('2026-11-01T00:00:00Z') };
  before(async () => {
    vocab = vocabularyFor(def, await testI18n());
  });
  const convertRow = (v: ImportVocabulary, mapping: string[], row: number, cells: string[], d: RowDefaults): ReturnType<typeof convert> => convert(v, planColumns(v, mapping), row, cells, d);

  it('maps headers by id, by label in any survey language (case and spaces ignored) and by the export headers', () => {
    expect(normaliseKey('  Interests ?  *')).to.equal('interests?');
    expect(guessMapping(vocab, ['INTERESTS', 'priorities_1', 'Rank them (place 2)', 'Interests? (other)', 'submission_id', 'Idioma', 'Fecha', 'nothing'])).to.deep.equal([
      'q:interests',
      'rank:priorities:1',
      'rank:priorities:2',
      'other:interests',
      'meta:submission_id',
      'meta:language',
      IGNORE,
      IGNORE,
    ]);
    expect(guessMapping(vocab, ['¿Intereses?', 'الاهتمامات؟'])).to.deep.equal(['q:interests', IGNORE]);
  });

  it('reports nothing mapped, a target used twice and a missing required question', () => {
    expect(mappingProblems(vocab, [IGNORE, 'meta:language']).map((p) => p.code)).to.deep.equal(['nothingMapped']);
    const problems = mappingProblems(vocab, ['rank:priorities:1', 'rank:priorities:1', 'q:name']);
    expect(problems.map((p) => p.code)).to.deep.equal(['duplicateColumn', 'missingColumn']);
    expect(problems[1]!.params).to.deep.equal({ question: 'interests' });
  });

  it('converts option labels in any language, several answers per cell, and ranking places', () => {
    const mapping = ['q:interests', 'other:interests', 'rank:priorities:1', 'rank:priorities:2', 'q:rating', 'q:children', 'q:grades', 'q:household'];
    const row = convertRow(vocab, mapping, 2, ['Empleo; PROGRAMACIÓN ;Other', 'Knitting', 'Health', 'jobs', 'Great', 'Sí', 'high', '3'], defaults);
    expect(row.problems).to.deep.equal([]);
    expect(row.answers).to.deep.equal({ interests: ['job-skills', 'coding-tech', 'other'], priorities: ['health-wellness', 'job-skills'], rating: 5, children: 'yes', grades: ['high'], household: 3 });
    expect(row.other).to.deep.equal({ interests: 'Knitting' });
  });

  it('takes a ranking in one cell, in order', () => {
    const row = convertRow(vocab, ['q:interests', 'q:priorities'], 2, ['Jobs', 'coding-tech; Jobs'], defaults);
    expect(row.answers.priorities).to.deep.equal(['coding-tech', 'job-skills']);
  });

  it('reports unknown options, parseAnswers problems and bad response columns, each with its field', () => {
    const mapping = ['q:interests', 'q:household', 'meta:language', 'meta:channel', 'meta:submitted_at', 'meta:tag', 'meta:submission_id', 'q:children'];
    const row = convertRow(vocab, mapping, 7, ['Knitting', '500', 'Klingon', 'pigeon', '2099-01-01', 'Bad Tag', 'short', 'yes'], defaults);
    const codes = row.problems.map((p) => `${p.field}:${p.code}`);
    expect(codes).to.have.members([
      'interests:unknownOption',
      'meta:language:unknownLanguage',
      'meta:channel:unknownChannel',
      'meta:submitted_at:invalidDate',
      'meta:tag:invalidTag',
      'meta:submission_id:invalidSubmissionId',
      'household:outOfRange',
      'grades:required',
    ]);
    expect(row.problems.every((p) => p.row === 7)).to.equal(true);
  });

  it('reads the response columns: language by code or name, channel by id or label, date, location, tag', () => {
    const mapping = ['q:interests', 'meta:language', 'meta:channel', 'meta:submitted_at', 'meta:location', 'meta:tag'];
    const row = convertRow(vocab, mapping, 2, ['jobs', 'Español', 'Library kiosk', '2026-03-14T10:00:00Z', ' Main  Branch ', 'Paper-Batch-1'], defaults);
    expect(row.problems).to.deep.equal([]);
    expect({ lang: row.lang, channel: row.channel, at: row.submittedAt!.toISOString(), location: row.location, tag: row.tag }).to.deep.equal({ lang: 'es', channel: 'kiosk', at: '2026-03-14T10:00:00.000Z', location: 'Main  Branch', tag: 'paper-batch-1' });
  });

  it('gives identical content the same stable id, and identical rows in one file different ids', () => {
    const a = convertRow(vocab, ['q:interests', 'q:household'], 2, ['Jobs', '3'], defaults);
    const b = convertRow(vocab, ['q:household', 'q:interests'], 9, ['3', 'job-skills'], defaults);
    expect(a.contentKey).to.equal(b.contentKey);
    expect(stableSubmissionId('s', a.contentKey, 1)).to.equal(stableSubmissionId('s', b.contentKey, 1));
    expect(stableSubmissionId('s', a.contentKey, 1)).to.not.equal(stableSubmissionId('s', a.contentKey, 2));
    expect(stableSubmissionId('s', a.contentKey, 1)).to.match(/^imp-[0-9a-f]{40}$/);
  });
});
