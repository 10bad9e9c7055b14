import type { z } from 'zod';
import { hasOptions, SurveyDefinition, type LocalizedText, type Question } from './definition.schema.js';

export interface DefinitionProblem {
  /** Where the problem is, e.g. `questions[3].showIf.question`. */
  path: string;
  message: string;
}

export type DefinitionResult = { ok: true; definition: SurveyDefinition } | { ok: false; problems: DefinitionProblem[] };

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '') || '(root)';
}

function fromZod(error: z.ZodError): DefinitionProblem[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

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
  if (text && !text[lang as keyof LocalizedText]?.trim()) problems.push({ path: `${path}.${lang}`, message: `text in the default language "${lang}" is missing` });
}

/** Checks that go beyond the shape: unique ids, known topics, sound conditions, default-language text. */
function crossCheck(def: SurveyDefinition, topicIds: ReadonlySet<string>): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const lang = def.defaultLanguage;
  if (!def.languages.includes(lang)) problems.push({ path: 'languages', message: `must include the default language "${lang}"` });
  if (new Set(def.languages).size !== def.languages.length) problems.push({ path: 'languages', message: 'lists a language twice' });
  checkLocalized(def.title, 'title', lang, problems);
  checkLocalized(def.intro, 'intro', lang, problems);

  const index = new Map<string, number>();
  def.questions.forEach((q, i) => {
    const at = `questions[${i}]`;
    if (index.has(q.id)) problems.push({ path: `${at}.id`, message: `question id "${q.id}" is used twice` });
    else index.set(q.id, i);
    checkLocalized(q.label, `${at}.label`, lang, problems);
    checkLocalized(q.help, `${at}.help`, lang, problems);
    if (hasOptions(q)) {
      const seen = new Set<string>();
      q.options.forEach((o, j) => {
        if (seen.has(o.id)) problems.push({ path: `${at}.options[${j}].id`, message: `option id "${o.id}" is used twice in this question` });
        seen.add(o.id);
        if (o.id === 'other' && 'other' in q && q.other) problems.push({ path: `${at}.options[${j}].id`, message: '"other" is reserved for the "other, please specify" answer' });
        if (o.topic && !topicIds.has(o.topic)) problems.push({ path: `${at}.options[${j}].topic`, message: `unknown topic "${o.topic}"` });
        checkLocalized(o.label, `${at}.options[${j}].label`, lang, problems);
      });
    }
    if (q.type === 'ranking' && q.top > q.options.length) problems.push({ path: `${at}.top`, message: `cannot rank ${q.top} of ${q.options.length} options` });
    if (q.type === 'multi' && q.maxChoices && q.maxChoices > q.options.length) problems.push({ path: `${at}.maxChoices`, message: 'is more than the number of options' });
    if (q.type === 'number' && q.min > q.max) problems.push({ path: `${at}.min`, message: 'must not be greater than max' });
    if (q.type === 'rating') {
      if (q.topic && !topicIds.has(q.topic)) problems.push({ path: `${at}.topic`, message: `unknown topic "${q.topic}"` });
      for (const k of [1, 2, 3, 4, 5] as const) checkLocalized(q.scale.labels[k], `${at}.scale.labels.${k}`, lang, problems);
    }
  });

  const cycle = findConditionCycle(def.questions);
  if (cycle) problems.push({ path: `questions[${index.get(cycle[0]!)}].showIf`, message: `conditions form a cycle: ${cycle.join(' → ')}` });

  def.questions.forEach((q, i) => {
    if (!q.showIf || cycle) return;
    const at = `questions[${i}].showIf`;
    const targetIndex = index.get(q.showIf.question);
    const target = targetIndex === undefined ? undefined : def.questions[targetIndex];
    if (!target) return problems.push({ path: `${at}.question`, message: `refers to unknown question "${q.showIf.question}"` });
    if (target.id === q.id) return problems.push({ path: `${at}.question`, message: 'a question cannot depend on itself' });
    if (targetIndex! > i) return problems.push({ path: `${at}.question`, message: `refers to "${target.id}", which comes later in the survey` });
    if (!hasOptions(target) || target.type === 'ranking') return problems.push({ path: `${at}.question`, message: `"${target.id}" is not a single or multiple choice question` });
    const ids = new Set([...target.options.map((o) => o.id), ...('other' in target && target.other ? ['other'] : [])]);
    q.showIf.anyOf.forEach((id, j) => {
      if (!ids.has(id)) problems.push({ path: `${at}.anyOf[${j}]`, message: `"${target.id}" has no option "${id}"` });
    });
  });
  return problems;
}

/**
 * Validates a survey definition (parsed JSON) against the schema and the catalog. Every
 * problem is listed with its path, so a staff member can fix the whole file at once.
 */
export function validateDefinition(input: unknown, topicIds: ReadonlySet<string>): DefinitionResult {
  const parsed = SurveyDefinition.safeParse(input);
  if (!parsed.success) return { ok: false, problems: fromZod(parsed.error) };
  const problems = crossCheck(parsed.data, topicIds);
  return problems.length ? { ok: false, problems } : { ok: true, definition: parsed.data };
}
