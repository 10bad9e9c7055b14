import { hasOptions, type LocalizedText, type SurveyDefinition } from './definition.schema.js';
import type { LanguageCode } from './languages.js';

/** A flat map of translation keys (e.g. `questions.age.options.18-24.label`) to text. */
export type FlatStrings = Record<string, string>;

type Slot = { key: string; get: () => LocalizedText | undefined; set: (t: LocalizedText) => void };

/** Every translatable text slot of a definition, with a stable key. */
function slots(def: SurveyDefinition): Slot[] {
  const list: Slot[] = [
    { key: 'title', get: () => def.title, set: (t) => (def.title = t) },
    { key: 'intro', get: () => def.intro, set: (t) => (def.intro = t) },
  ];
  for (const q of def.questions) {
    const qk = `questions.${q.id}`;
    list.push({ key: `${qk}.label`, get: () => q.label, set: (t) => (q.label = t) });
    list.push({ key: `${qk}.help`, get: () => q.help, set: (t) => (q.help = t) });
    if (hasOptions(q)) {
      for (const o of q.options) {
        list.push({ key: `${qk}.options.${o.id}.label`, get: () => o.label, set: (t) => (o.label = t) });
        list.push({ key: `${qk}.options.${o.id}.help`, get: () => o.help, set: (t) => (o.help = t) });
      }
    }
    if (q.type === 'rating') {
      for (const n of [1, 2, 3, 4, 5] as const) {
        list.push({ key: `${qk}.scale.${n}`, get: () => q.scale.labels[n], set: (t) => (q.scale.labels[n] = t) });
      }
    }
  }
  for (const page of def.pages ?? []) {
    list.push({ key: `pages.${page.id}.title`, get: () => page.title, set: (t) => (page.title = t) });
  }
  // Only slots that exist in the source (default) language need a translation.
  return list.filter((s) => s.get()?.[def.defaultLanguage]);
}

export function extractStrings(def: SurveyDefinition, lang: LanguageCode): FlatStrings {
  const out: FlatStrings = {};
  for (const s of slots(def)) {
    const text = s.get()?.[lang];
    if (text) out[s.key] = text;
  }
  return out;
}

/** Returns a copy of the definition with the given language's text set from a flat map. */
export function applyStrings(def: SurveyDefinition, lang: LanguageCode, strings: FlatStrings): SurveyDefinition {
  const copy = structuredClone(def);
  for (const s of slots(copy)) {
    const text = strings[s.key];
    if (typeof text === 'string' && text.trim()) s.set({ ...s.get(), [lang]: text });
  }
  return copy;
}

/** Keys that have source text but no translation in `lang`. */
export function missingStrings(def: SurveyDefinition, lang: LanguageCode): string[] {
  return slots(def)
    .filter((s) => !s.get()?.[lang]?.trim())
    .map((s) => s.key);
}

export function sourceKeys(def: SurveyDefinition): string[] {
  return slots(def).map((s) => s.key);
}

/**
 * Returns a copy with `lang`'s text set for each key given; an empty text removes that
 * translation (the respondent then sees the default language). Keys not given stay as they
 * are. The default language is the source and is never changed here.
 */
export function setStrings(def: SurveyDefinition, lang: LanguageCode, strings: FlatStrings): SurveyDefinition {
  const copy = structuredClone(def);
  if (lang === def.defaultLanguage) return copy;
  for (const s of slots(copy)) {
    if (!(s.key in strings)) continue;
    const text = strings[s.key]?.trim() ?? '';
    const next: LocalizedText = { ...s.get() };
    if (text) next[lang] = text;
    else delete next[lang];
    s.set(next);
  }
  return copy;
}
