import type { TFunction } from 'i18next';
import type { SurveyDefinition } from '../surveys/definition.schema.js';
import type { LanguageCode } from '../surveys/languages.js';
import { localize } from './form-view.js';

/** One text to translate, as the translation screen shows it. */
export interface TranslateRow {
  key: string;
  /** What the text is, in the staff member's language ("Answer choice", "Help text"...). */
  part: string;
  source: string;
  value: string;
  missing: boolean;
  inputId: string;
  error: string;
  /** Left out of view by the "missing only" filter (still in the form, so nothing typed is lost). */
  hidden: boolean;
}

/** The texts of one part of the survey: its title and introduction, one question, or the page headings. */
export interface TranslateSection {
  id: string;
  heading: string;
  /** The question's own text in the source language, under the heading. */
  label: string;
  rows: TranslateRow[];
  missing: number;
  hidden: boolean;
}

type RowIn = Omit<TranslateRow, 'part' | 'hidden'>;

/** What a translation key names, for people: `questions.age.options.18-24.help` is an answer choice's explanation. */
function partOf(t: TFunction, key: string): string {
  const parts = key.split('.');
  if (parts[0] === 'title' || parts[0] === 'intro') return t(`builder:translate.parts.${parts[0]}`);
  if (parts[0] === 'pages') return t('builder:translate.parts.pageTitle');
  const rest = parts.slice(2);
  if (rest[0] === 'options') return t(rest[2] === 'help' ? 'builder:translate.parts.optionHelp' : 'builder:translate.parts.optionLabel');
  if (rest[0] === 'scale') return t('builder:translate.parts.scale', { n: rest[1] });
  return t(rest[0] === 'help' ? 'builder:translate.parts.help' : 'builder:translate.parts.label');
}

/**
 * Groups the rows of the translation screen by what they belong to, in the survey's order: the
 * title and introduction, then one section per question (headed by its number and its text),
 * then the page headings. With `missingOnly`, rows already translated are hidden unless they
 * carry an error, and so is a section with nothing left to show.
 */
export function translateSections(t: TFunction, def: SurveyDefinition, rows: RowIn[], missingOnly: boolean): TranslateSection[] {
  const source = def.defaultLanguage as LanguageCode;
  const sections = new Map<string, TranslateSection>();
  const section = (id: string, heading: string, label = ''): TranslateSection => {
    let s = sections.get(id);
    if (!s) sections.set(id, (s = { id, heading, label, rows: [], missing: 0, hidden: false }));
    return s;
  };
  section('survey', t('builder:translate.sections.survey'));
  def.questions.forEach((q, i) => section(`q-${q.id}`, t('builder:translate.sections.question', { number: i + 1 }), localize(q.label, source, source)));
  for (const row of rows) {
    const [head, id] = row.key.split('.');
    const target = head === 'questions' ? sections.get(`q-${id}`) : head === 'pages' ? section('pages', t('builder:translate.sections.pages')) : sections.get('survey');
    if (!target) continue;
    target.rows.push({ ...row, part: partOf(t, row.key), hidden: missingOnly && !row.missing && !row.error });
    if (row.missing) target.missing++;
  }
  const list = [...sections.values()].filter((s) => s.rows.length);
  for (const s of list) s.hidden = s.rows.every((r) => r.hidden);
  return list;
}
