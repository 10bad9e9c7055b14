import { createHash, randomBytes } from 'node:crypto';
import type { SurveySnapshot } from '../surveys/survey.service.js';
import { gzipJoin, prepareGzip, type GzipParts } from './gzip-parts.js';

/**
 * The respondent form page rendered once per survey content, language, channel and branding,
 * then filled in per request. Building the view model and rendering ~20 question partials with a
 * few hundred i18next lookups was nearly all of a form page's cost, and it is the same for every
 * person who opens the same form (`npm run bench`, "Form … under load").
 *
 * Only GET pages come from here. A form shown again after a post (422, 400, 409, 429, 503, a
 * language switch, Back or Next on a form in pages without JavaScript) carries the person's
 * answers and is always rendered afresh. A GET is always the first page with nothing answered;
 * with JavaScript the other pages of that same cached page are shown in place.
 */

/** What differs on every request; everything else on the page is in the cache key. */
export interface PerRequestParts {
  submissionId: string;
  formToken: string;
}
type Slot = keyof PerRequestParts;

/**
 * Per-request values are pasted in as they are, so they must need no escaping in any context
 * (attribute, text, JSON, URL). Submission ids and form tokens are of these characters.
 */
const PLAIN = /^[A-Za-z0-9._-]*$/;

/** A rendered page cut at its per-request parts: texts[0] slot[0] texts[1] … texts[n]. */
interface Template {
  texts: string[];
  slots: Slot[];
  /** The texts compressed once, for gzip answers. */
  gzip: GzipParts;
}

/** One page for one request: as text, or gzip-compressed (null when the cache is off; the compression middleware then does it). */
export interface FormPage {
  text(): string;
  gzip(): Buffer | null;
}

/** Least recently used first out. A Map iterates in insertion order, so a hit moves to the end. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * Stand-ins rendered where the per-request values go. They are random for each render, made
 * after the survey text they are rendered with, so no text typed by staff (or anyone) can
 * contain them: a question that happens to read like a placeholder is shown as typed.
 */
function placeholders(): PerRequestParts {
  const nonce = randomBytes(16).toString('hex');
  return { submissionId: `cn-slot-${nonce}-sid`, formToken: `cn-slot-${nonce}-ft` };
}

function cut(html: string, marks: PerRequestParts): Template {
  const bySlot = new Map<string, Slot>(Object.entries(marks).map(([slot, mark]) => [mark, slot as Slot]));
  const texts: string[] = [];
  const slots: Slot[] = [];
  let from = 0;
  for (const m of html.matchAll(new RegExp([...bySlot.keys()].join('|'), 'g'))) {
    texts.push(html.slice(from, m.index));
    slots.push(bySlot.get(m[0])!);
    from = m.index + m[0].length;
  }
  texts.push(html.slice(from));
  return { texts, slots, gzip: prepareGzip(texts) };
}

function fill(template: Template, values: PerRequestParts): FormPage {
  const inOrder = template.slots.map((slot) => values[slot]);
  return {
    text: () => template.texts.reduce((html, text, i) => html + inOrder[i - 1]! + text),
    gzip: () => gzipJoin(template.gzip, inOrder),
  };
}

export class FormPageCache {
  private readonly pages: Lru<Template>;
  /** Renders under way, so a burst on a new key renders it once rather than once per request. */
  private readonly rendering = new Map<string, Promise<Template>>();

  /** `maxPages` 0 turns the cache off (every page rendered afresh). */
  constructor(readonly maxPages: number) {
    this.pages = new Lru(maxPages);
  }

  get size(): number {
    return this.pages.size;
  }

  /**
   * The page for `key` with `values` filled in. `render` renders it with the values it is given
   * (placeholders on a miss); the key must name every other input of the page.
   */
  async page(key: string, values: PerRequestParts, render: (values: PerRequestParts) => Promise<string>): Promise<FormPage> {
    for (const [slot, value] of Object.entries(values)) if (!PLAIN.test(value)) throw new TypeError(`form page cache: ${slot} needs escaping`);
    if (this.maxPages === 0) {
      const html = await render(values);
      return { text: () => html, gzip: () => null };
    }
    let template = this.pages.get(key);
    if (!template) {
      let pending = this.rendering.get(key);
      if (!pending) {
        const marks = placeholders();
        pending = render(marks)
          .then((html) => {
            const made = cut(html, marks);
            this.pages.set(key, made);
            return made;
          })
          .finally(() => this.rendering.delete(key));
        this.rendering.set(key, pending);
      }
      template = await pending;
    }
    return fill(template, values);
  }
}

const contentKeys = new WeakMap<SurveySnapshot, string>();

/**
 * What of a survey shows on its form, as a key: slug, version and a hash of the published
 * definition and the hidden languages. It is computed from the snapshot read from the database,
 * so every app instance sharing the database agrees on it without being told of edits, and an
 * edit that keeps the version number (hiding a language, a restore) still changes it. Computed
 * once per snapshot object (the survey cache keeps one for a few seconds).
 */
export function surveyContentKey(survey: SurveySnapshot): string {
  let key = contentKeys.get(survey);
  if (!key) {
    const hash = createHash('sha256').update(JSON.stringify([survey.definition, survey.hiddenLanguages ?? []])).digest('base64url');
    key = `${survey.slug}@${survey.version}#${hash}`;
    contentKeys.set(survey, key);
  }
  return key;
}
