import type { TFunction } from 'i18next';
import { hasEnoughResponses } from '../../analytics/index.js';
import { hasOptions } from '../../surveys/definition.schema.js';
import { tallyFor, topicRanking, type TopicView } from '../../surveys/insights.service.js';
import type { OrganizationRef } from '../../surveys/partner.service.js';
import { populationQuestions, type RepresentativenessView } from '../../surveys/response-summary.service.js';
import { TALLY } from '../../surveys/tally.js';
import type { AnalysisContext } from '../routes/api.js';
import type { BoardSummaryModel } from './summary.model.js';

/** Topics shown per group, and questions compared at most (the board's page 2 has one page). */
const TOP_PER_GROUP = 3;
const MAX_QUESTIONS = 4;

/** "A, B and C" in the summary's language (a plain comma list where ICU has no pattern, e.g. Kreyòl). */
export function listText(lang: string, items: string[]): string {
  return Intl.ListFormat.supportedLocalesOf([lang]).length ? new Intl.ListFormat(lang, { type: 'conjunction' }).format(items) : items.join(', ');
}

/**
 * The three topics each group of the survey's single-choice demographic questions (age, home
 * language, children…) chose most often, from the ranking the topics API gives with that answer
 * added to the current filter (never weighted: raking inside one group says nothing more).
 * Groups with too few answers to rank are named on one line; questions already filtered on are left out.
 */
export async function groupTopics(ctx: AnalysisContext, t: TFunction): Promise<BoardSummaryModel['groups']> {
  const { survey, filter, lang, L } = ctx;
  const questions = populationQuestions(survey.definition).filter((q) => hasOptions(q) && !filter.answers[q.id]).slice(0, MAX_QUESTIONS);
  const result: BoardSummaryModel['groups'] = [];
  for (const q of questions) {
    if (!hasOptions(q)) continue;
    const options = [...q.options.map((o) => ({ id: o.id, label: L(o.label) || o.id })), ...('other' in q && q.other ? [{ id: 'other', label: t('common:form.other') }] : [])];
    const rows: BoardSummaryModel['groups'][number]['rows'] = [];
    const tooFew: string[] = [];
    for (const option of options) {
      const groupFilter = { ...filter, answers: { ...filter.answers, [q.id]: [option.id] }, weighted: false };
      const tallies = await tallyFor(survey, groupFilter);
      const n = tallies.get(TALLY.total) ?? 0;
      if (n === 0) continue;
      if (!hasEnoughResponses(n)) {
        tooFew.push(option.label);
        continue;
      }
      const ranking = await topicRanking(survey, groupFilter, lang, tallies);
      rows.push({
        id: option.id,
        label: option.label,
        n,
        people: t('staff:summary.groupPeople', { count: n }),
        // The topics the group chose most often (highest reach, then rank), so the shares shown read in order.
        topics: [...ranking.topics].sort((a, b) => b.reach - a.reach || a.rank - b.rank).slice(0, TOP_PER_GROUP).map((x) => ({ topic: x.topic, name: x.name, reach: x.reach })),
      });
    }
    if (rows.length || tooFew.length) {
      result.push({ id: q.id, question: L(q.label), rows, tooFew: tooFew.length ? t('staff:summary.groupTooFew', { groups: listText(lang, tooFew) }) : '' });
    }
  }
  return result;
}

/** Under-heard groups as sentences with their shares; the rest of each question collapses away. */
export function underHeard(repr: RepresentativenessView[], t: TFunction, lang: string): BoardSummaryModel['underHeard'] {
  const pct = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const lines = repr.flatMap((r) =>
    r.rows.filter((x) => x.underHeard).map((x) => ({ question: r.label, text: t('staff:summary.underHeardLine', { group: x.label, response: pct.format(x.responseShare), population: pct.format(x.populationShare) }) })),
  );
  const message = repr.length === 0 ? t('staff:summary.noShares') : lines.length === 0 ? t('staff:summary.underHeardNone') : '';
  return { lines, message };
}

/**
 * Partners for the top topics: each suggested type with the organizations on file, and the
 * types with none on file named once per topic ("No partners on file yet for: A, B, C").
 */
export function partnersOnFile(topics: TopicView[], organizations: Map<string, OrganizationRef[]>, t: TFunction, lang: string): BoardSummaryModel['partners'] {
  return topics.map((x) => {
    const suggestions = x.partners.map((p) => {
      const names = (organizations.get(`${x.topic}/${p.type}`) ?? []).map((o) => o.name);
      return { name: p.name, reason: p.reason, organizations: names, onFile: names.length ? t('staff:summary.onFile', { organizations: listText(lang, names) }) : '' };
    });
    const missing = suggestions.filter((s) => s.organizations.length === 0).map((s) => s.name);
    return { topic: x.name, suggestions, missing: missing.length ? t('staff:summary.noPartnersFor', { types: listText(lang, missing) }) : '' };
  });
}
