import type { TFunction } from 'i18next';
import { fieldName, type FormValues } from '../surveys/answers.js';
import type { Question, SurveyDefinition } from '../surveys/definition.schema.js';
import { placesFor, rankableIds, rankSource } from '../surveys/rank-from.js';

/** What a ranking that ranks an earlier answer (`rankFrom`) adds to its question view. */
export interface RankFromView {
  /** The source question's id, for the script that updates the ranking as choices change. */
  rankFrom: string;
  /** Without JavaScript on a form not yet sent: which options may be ranked. */
  rankNote: string;
  /** Option ids shown in the places (all of them until the person's choices are known). */
  shownIds: string[] | null;
  /** How many places to show. */
  places: number;
  /** Fewer than two chosen: the ranking is not asked. */
  hidden: boolean;
  /** The question's own number of places, which the script may offer as more are chosen. */
  top: number;
  /** All the chosen ones fit in the places: the person only puts them in order. */
  orderOnly: boolean;
}

/**
 * The view of a `rankFrom` ranking. The empty form (GET, cached) cannot know the person's
 * choices: it lists every option with a note, and the script narrows the list as they choose.
 * A form shown again after a post (errors, a language switch, a later page) knows them from what
 * was sent and lists only those.
 */
export function rankFromView(def: SurveyDefinition, q: Question, values: FormValues, t: TFunction, L: (text: Question['label'] | undefined) => string): RankFromView | null {
  const source = rankSource(def, q);
  if (!source || q.type !== 'ranking') return null;
  const sent = values[fieldName.answer(source.id)];
  if (sent === undefined) return { rankFrom: source.id, rankNote: t('ranking.fromNote', { question: L(source.label) }), shownIds: null, places: q.top, hidden: false, top: q.top, orderOnly: false };
  const ids = rankableIds(q, Array.isArray(sent) ? sent : [sent]);
  const places = placesFor(q, ids.length);
  return { rankFrom: source.id, rankNote: '', shownIds: ids, places: places || q.top, hidden: places === 0, top: q.top, orderOnly: places > 0 && ids.length <= q.top };
}
