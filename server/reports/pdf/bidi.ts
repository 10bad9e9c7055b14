/**
 * A small subset of the Unicode Bidirectional Algorithm (UAX #9) for the printed summary:
 * one paragraph at a time, no explicit embeddings or isolates, rules W1-W7, N1-N2, I1-I2, L1
 * (trailing spaces) and L2 (reordering). That covers what the summary holds: Arabic sentences
 * with Latin or Arabic-Indic numbers, percentages, dates and Latin names. pdfkit has no bidi
 * of its own, and it lays out text in logical order.
 */
type BidiClass = 'L' | 'R' | 'AL' | 'EN' | 'AN' | 'ES' | 'ET' | 'CS' | 'NSM' | 'WS' | 'ON';

const HEBREW = /[\u0590-\u05FF\uFB1D-\uFB4F]/u;
const ARABIC_INDIC_DIGIT = /[\u0660-\u0669\u066B\u066C\u06F0-\u06F9]/u;
const ARABIC_LETTER = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/u;
const MARK = /\p{M}/u;
const LETTER = /\p{L}/u;

function classify(ch: string): BidiClass {
  if (ch >= '0' && ch <= '9') return 'EN';
  if (ch === ' ' || ch === '\t' || ch === '\u2028') return 'WS';
  if (ch === '+' || ch === '-' || ch === '\u2212') return 'ES';
  if (/[#$%°±‰€£¥¢\u066A]/u.test(ch)) return 'ET';
  if (/[,./:\u00A0\u060C\u202F]/u.test(ch)) return 'CS';
  if (ch === '\u200E') return 'L';
  if (ch === '\u200F') return 'R';
  if (ch === '\u061C') return 'AL';
  if (ARABIC_INDIC_DIGIT.test(ch)) return 'AN';
  if (MARK.test(ch)) return 'NSM';
  if (HEBREW.test(ch)) return 'R';
  if (ARABIC_LETTER.test(ch)) return LETTER.test(ch) ? 'AL' : 'ON';
  if (LETTER.test(ch)) return 'L';
  return 'ON';
}

/** One class per UTF-16 code unit (a surrogate pair gets its code point's class twice). */
function classesOf(text: string): BidiClass[] {
  const out: BidiClass[] = [];
  for (const ch of text) {
    const c = classify(ch);
    for (let i = 0; i < ch.length; i++) out.push(c);
  }
  return out;
}

const isStrong = (c: BidiClass): boolean => c === 'L' || c === 'R' || c === 'AL';

/** Embedding level of each code unit of a paragraph with base direction `dir`. */
export function bidiLevels(text: string, dir: 'ltr' | 'rtl'): number[] {
  const base = dir === 'rtl' ? 1 : 0;
  const sos: BidiClass = base ? 'R' : 'L';
  const t = classesOf(text);
  const n = t.length;
  // W1: marks take the class of what they follow.
  for (let i = 0; i < n; i++) if (t[i] === 'NSM') t[i] = i > 0 ? t[i - 1]! : sos;
  // W2, W3: numbers after an Arabic letter are Arabic numbers; AL is R.
  let lastStrong: BidiClass = sos;
  for (let i = 0; i < n; i++) {
    const c = t[i]!;
    if (isStrong(c)) lastStrong = c;
    else if (c === 'EN' && lastStrong === 'AL') t[i] = 'AN';
  }
  for (let i = 0; i < n; i++) if (t[i] === 'AL') t[i] = 'R';
  // W4: one separator between two numbers of the same kind joins them.
  for (let i = 1; i < n - 1; i++) {
    const [prev, cur, next] = [t[i - 1], t[i], t[i + 1]];
    if (cur === 'ES' && prev === 'EN' && next === 'EN') t[i] = 'EN';
    else if (cur === 'CS' && prev === next && (prev === 'EN' || prev === 'AN')) t[i] = prev!;
  }
  // W5: terminators (%, $) next to European numbers belong to them.
  for (let i = 0; i < n; i++) {
    if (t[i] !== 'ET') continue;
    let j = i;
    while (j < n && t[j] === 'ET') j++;
    if ((i > 0 && t[i - 1] === 'EN') || (j < n && t[j] === 'EN')) for (let k = i; k < j; k++) t[k] = 'EN';
    i = j - 1;
  }
  // W6: the rest of the separators and terminators are neutral.
  for (let i = 0; i < n; i++) if (t[i] === 'ES' || t[i] === 'ET' || t[i] === 'CS') t[i] = 'ON';
  // W7: European numbers in a left-to-right context are L.
  lastStrong = sos;
  for (let i = 0; i < n; i++) {
    const c = t[i]!;
    if (c === 'L' || c === 'R') lastStrong = c;
    else if (c === 'EN' && lastStrong === 'L') t[i] = 'L';
  }
  // N1, N2: neutrals between two runs of the same direction take it, otherwise the base.
  const strongDir = (c: BidiClass): 'L' | 'R' | null => (c === 'L' ? 'L' : c === 'R' || c === 'EN' || c === 'AN' ? 'R' : null);
  for (let i = 0; i < n; i++) {
    if (strongDir(t[i]!)) continue;
    let j = i;
    while (j < n && !strongDir(t[j]!)) j++;
    const before = i > 0 ? strongDir(t[i - 1]!)! : sos;
    const after = j < n ? strongDir(t[j]!)! : sos;
    const resolved: BidiClass = before === after ? before : sos;
    for (let k = i; k < j; k++) t[k] = resolved;
    i = j - 1;
  }
  // I1, I2.
  return t.map((c) => {
    if (base === 0) return c === 'R' ? 1 : c === 'AN' || c === 'EN' ? 2 : 0;
    return c === 'L' || c === 'EN' || c === 'AN' ? 2 : 1;
  });
}

export interface VisualRun {
  /** Offsets into the paragraph, logical order inside the run. */
  start: number;
  end: number;
  rtl: boolean;
}

/**
 * The runs of one line (`start`..`end` of the paragraph) in left-to-right visual order.
 * Characters inside an `rtl` run are still in logical order: the caller reverses them.
 */
export function visualRuns(text: string, levels: number[], start: number, end: number, dir: 'ltr' | 'rtl'): VisualRun[] {
  const base = dir === 'rtl' ? 1 : 0;
  const lv = levels.slice(start, end);
  // L1: trailing white space goes back to the paragraph level.
  for (let i = lv.length - 1; i >= 0 && /\s/u.test(text[start + i]!); i--) lv[i] = base;
  let runs: { start: number; end: number; level: number }[] = [];
  for (let i = 0; i < lv.length; i++) {
    const last = runs[runs.length - 1];
    if (last && last.level === lv[i]) last.end = start + i + 1;
    else runs.push({ start: start + i, end: start + i + 1, level: lv[i]! });
  }
  // L2: from the highest level down to the lowest odd one, reverse each sequence at or above it.
  const max = Math.max(0, ...lv);
  const minOdd = Math.min(...lv.map((l) => (l % 2 ? l : l + 1)), max);
  for (let level = max; level >= minOdd && level > 0; level--) {
    const next: typeof runs = [];
    for (let i = 0; i < runs.length; ) {
      if (runs[i]!.level < level) {
        next.push(runs[i]!);
        i++;
        continue;
      }
      let j = i;
      while (j < runs.length && runs[j]!.level >= level) j++;
      next.push(...runs.slice(i, j).reverse());
      i = j;
    }
    runs = next;
  }
  return runs.map((r) => ({ start: r.start, end: r.end, rtl: r.level % 2 === 1 }));
}

const MIRRORS: Record<string, string> = { '(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«', '‹': '›', '›': '‹' };

/** A character as drawn in a right-to-left run (UAX #9 L4: paired brackets swap). */
export function mirror(ch: string): string {
  return MIRRORS[ch] ?? ch;
}
