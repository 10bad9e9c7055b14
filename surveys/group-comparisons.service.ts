import { compareSegment, type GroupComparisonInput } from '../analytics/index.js';
import { hasOptions, type LocalizedText } from './definition.schema.js';
import { surveyTopics } from './insights.service.js';
import { copyKeyCounts, copyTallies } from './insights/analytics-copy.js';
import { isNoAnswerOption } from './option-order.js';
import type { SurveySnapshot } from './survey.service.js';
import { subtractTallies, TALLY, type TallyMap } from './tally.js';

export interface GroupComparison extends GroupComparisonInput {
  question: string;
  option: string;
  questionLabel: string;
  label: string;
  segmentN: number;
  restN: number;
}

/**
 * Every group a demographic answer names (each option of each demographic choice question, less
 * "prefer not to say"-like answers) compared with everyone else, topic by topic (`compareSegment`:
 * z-tests, Holm-adjusted per group). Each group is a one-condition filter, so its counters are one
 * read of the analytical copy; everyone's counters are read once for all of them.
 */
export async function groupComparisons(survey: SurveySnapshot, L: (text: LocalizedText | undefined) => string, everyone?: TallyMap): Promise<GroupComparison[]> {
  const all = everyone ?? (await copyTallies(survey.slug, { answers: {}, weighted: false }));
  const topics = surveyTopics(survey.definition);
  const group = (t: TallyMap): { respondents: number; interested: Record<string, number> } => ({
    respondents: t.get(TALLY.total) ?? 0,
    interested: Object.fromEntries(topics.map((topic) => [topic, t.get(TALLY.topicInterest(topic)) ?? 0])),
  });
  const keys = topics.map((topic) => TALLY.topicInterest(topic));
  const out: GroupComparison[] = [];
  for (const q of survey.definition.questions) {
    if (!q.demographic || !hasOptions(q)) continue;
    for (const o of q.options) {
      if (isNoAnswerOption(o.id) || o.exclusive) continue;
      // Only the topics' counters: ~25 groups on a dashboard, each read from the counter index.
      const segment = await copyKeyCounts(survey.slug, { answers: { [q.id]: [o.id] }, weighted: false }, keys);
      const rest = subtractTallies(all, segment);
      const result = compareSegment(group(segment), group(rest));
      out.push({ group: `${q.id}:${o.id}`, question: q.id, option: o.id, questionLabel: L(q.label), label: L(o.label), segmentN: segment.get(TALLY.total) ?? 0, restN: rest.get(TALLY.total) ?? 0, ...result });
    }
  }
  return out;
}
