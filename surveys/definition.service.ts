import { hasOptions, SurveyDefinition, type LocalizedText, type Question } from './definition.schema.js';
import { problemsFromZod, type DefinitionProblem } from './definition-problems.js';
import { checkRankFrom } from './rank-from.js';

export { formatPath, describeProblem, type DefinitionProblem, type DefinitionProblemCode } from './definition-problems.js';

export type DefinitionResult = { ok: true; definition: SurveyDefinition } | { ok: false; problems: DefinitionProblem[] };

/** Finds a cycle in the "show B when A is ..." graph, returned as question ids, or null. */
export function findConditionCycle(questions: Question[]): string[] | null {
  // A question depending on itself is reported on its own, not as a cycle.
  const next = new Map(questions.filter((q) => q.showIf && q.showIf.question !== q.id).map((q) => [q.id, q.showIf!.question]));
  for (const start of next.keys()) {
    const seen: string[] = [];
    let current: string | undefined = start;
    while (current !== undefined && next.has(current)) {
      if (seen.includes(current)) return [...seen.slice(seen.indexOf(current)), current];
      seen.push(current);
      current = next.get(current);
    }
  }
  return null;
}

function checkLocalized(text: LocalizedText | undefined, path: string, lang: string, problems: DefinitionProblem[]): void {
  if (text && !text[lang as keyof LocalizedText]?.trim()) problems.push({ path: `${path}.${lang}`, code: 'defaultTextMissing', params: { lang } });
}

/** Checks that go beyond the shape: unique ids, known topics, sound conditions, default-language text. */
function crossCheck(def: SurveyDefinition, topicIds: ReadonlySet<string>): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const lang = def.defaultLanguage;
  if (!def.languages.includes(lang)) problems.push({ path: 'languages', code: 'defaultLanguageNotListed', params: { lang } });
  if (new Set(def.languages).size !== def.languages.length) problems.push({ path: 'languages', code: 'languageTwice' });
  checkLocalized(def.title, 'title', lang, problems);
  checkLocalized(def.intro, 'intro', lang, problems);

  const index = new Map<string, number>();
  def.questions.forEach((q, i) => {
    const at = `questions[${i}]`;
    if (index.has(q.id)) problems.push({ path: `${at}.id`, code: 'questionIdTwice', params: { id: q.id } });
    else index.set(q.id, i);
    checkLocalized(q.label, `${at}.label`, lang, problems);
    checkLocalized(q.help, `${at}.help`, lang, problems);
    if (hasOptions(q)) {
      const seen = new Set<string>();
      q.options.forEach((o, j) => {
        if (seen.has(o.id)) problems.push({ path: `${at}.options[${j}].id`, code: 'optionIdTwice', params: { id: o.id } });
        seen.add(o.id);
        if (o.id === 'other' && 'other' in q && q.other) problems.push({ path: `${at}.options[${j}].id`, code: 'otherReserved' });
        if (o.topic && !topicIds.has(o.topic)) problems.push({ path: `${at}.options[${j}].topic`, code: 'unknownTopic', params: { topic: o.topic } });
        checkLocalized(o.label, `${at}.options[${j}].label`, lang, problems);
      });
    }
    if (q.type === 'ranking' && q.top > q.options.length) problems.push({ path: `${at}.top`, code: 'rankMoreThanOptions', params: { top: q.top, options: q.options.length } });
    if (q.type === 'multi' && q.maxChoices && q.maxChoices > q.options.length) problems.push({ path: `${at}.maxChoices`, code: 'maxChoicesAboveOptions', params: { max: q.maxChoices, options: q.options.length } });
    if (q.type === 'number' && q.min > q.max) problems.push({ path: `${at}.min`, code: 'minAboveMax', params: { min: q.min, max: q.max } });
    if (q.type === 'rating') {
      if (q.topic && !topicIds.has(q.topic)) problems.push({ path: `${at}.topic`, code: 'unknownTopic', params: { topic: q.topic } });
      for (const k of [1, 2, 3, 4, 5] as const) checkLocalized(q.scale.labels[k], `${at}.scale.labels.${k}`, lang, problems);
    }
  });

  const cycle = findConditionCycle(def.questions);
  if (cycle) problems.push({ path: `questions[${index.get(cycle[0]!)}].showIf`, code: 'conditionCycle', params: { cycle: cycle.join(' → ') } });

  def.questions.forEach((q, i) => {
    if (!q.showIf || cycle) return;
    const at = `questions[${i}].showIf`;
    const targetIndex = index.get(q.showIf.question);
    const target = targetIndex === undefined ? undefined : def.questions[targetIndex];
    if (!target) return problems.push({ path: `${at}.question`, code: 'conditionUnknownQuestion', params: { question: q.showIf.question } });
    if (target.id === q.id) return problems.push({ path: `${at}.question`, code: 'conditionSelf' });
    if (targetIndex! > i) return problems.push({ path: `${at}.question`, code: 'conditionLater', params: { question: target.id } });
    if (!hasOptions(target) || target.type === 'ranking') return problems.push({ path: `${at}.question`, code: 'conditionNotChoice', params: { question: target.id } });
    const ids = new Set([...target.options.map((o) => o.id), ...('other' in target && target.other ? ['other'] : [])]);
    q.showIf.anyOf.forEach((id, j) => {
      if (!ids.has(id)) problems.push({ path: `${at}.anyOf[${j}]`, code: 'conditionUnknownOption', params: { question: target.id, option: id } });
    });
  });
  problems.push(...checkPages(def, index));
  problems.push(...checkRankFrom(def));
  return problems;
}

/**
 * Pages, when a definition has them: unique ids, each question on exactly one page, only known
 * questions, and a condition never on a page before the question it depends on (the form could
 * not know the answer yet when it shows that page).
 */
function checkPages(def: SurveyDefinition, index: ReadonlyMap<string, number>): DefinitionProblem[] {
  if (!def.pages) return [];
  const problems: DefinitionProblem[] = [];
  const pageOf = new Map<string, number>();
  const pageIds = new Set<string>();
  def.pages.forEach((page, p) => {
    const at = `pages[${p}]`;
    if (pageIds.has(page.id)) problems.push({ path: `${at}.id`, code: 'pageIdTwice', params: { id: page.id } });
    pageIds.add(page.id);
    checkLocalized(page.title, `${at}.title`, def.defaultLanguage, problems);
    page.questions.forEach((id, j) => {
      if (!index.has(id)) problems.push({ path: `${at}.questions[${j}]`, code: 'pageUnknownQuestion', params: { question: id } });
      else if (pageOf.has(id)) problems.push({ path: `${at}.questions[${j}]`, code: 'pageQuestionTwice', params: { question: id } });
      else pageOf.set(id, p);
    });
  });
  def.questions.forEach((q, i) => {
    const page = pageOf.get(q.id);
    if (page === undefined) return problems.push({ path: `questions[${i}].id`, code: 'questionNotOnPage', params: { question: q.id } });
    const trigger = q.showIf ? pageOf.get(q.showIf.question) : undefined;
    if (trigger !== undefined && trigger > page) problems.push({ path: `questions[${i}].showIf.question`, code: 'conditionLaterPage', params: { question: q.showIf!.question } });
    // Without JavaScript a ranking learns what was chosen only from the pages already sent.
    const rankFrom = q.type === 'ranking' ? q.rankFrom : undefined;
    const source = rankFrom ? pageOf.get(rankFrom) : undefined;
    if (source !== undefined && source > page) problems.push({ path: `questions[${i}].rankFrom`, code: 'rankFromLaterPage', params: { question: rankFrom! } });
  });
  return problems;
}

/**
 * Validates a survey definition (parsed JSON) against the schema and the catalog. Every
 * problem is listed with its path, so a staff member can fix the whole file at once.
 */
export function validateDefinition(input: unknown, topicIds: ReadonlySet<string>): DefinitionResult {
  // With the input in each issue, a missing value is told apart from one of the wrong type.
  const parsed = SurveyDefinition.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
  const problems = crossCheck(parsed.data, topicIds);
  return problems.length ? { ok: false, problems } : { ok: true, definition: parsed.data };
}
