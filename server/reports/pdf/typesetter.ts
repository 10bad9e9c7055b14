import type { LanguageCode } from '../../../surveys/languages.js';
import { bidiLevels, mirror, visualRuns } from './bidi.js';
import { fontBuffer, pdfFontName, primaryRole, roleForChar, type FontRole, type FontWeight } from './fonts.js';

/**
 * Measures, wraps and draws single lines of text with pdfkit, for every shipped language:
 * it picks a font per script, reorders right-to-left runs (pdfkit does not) and lets fontkit
 * shape Arabic. Wrapping is ours too, so a line is always drawn as one shaped run.
 */
export interface TextStyle {
  size: number;
  bold?: boolean;
  color?: string;
}

export type Align = 'start' | 'end' | 'center';

export interface Typesetter {
  doc: PDFKit.PDFDocument;
  dir: 'ltr' | 'rtl';
  primary: FontRole;
  /** Line height as a multiple of the font size (Arabic marks and CJK need more room). */
  lineFactor: number;
  /** Measure only: lay out pages without drawing (trying a density costs no PDF output). */
  dry: boolean;
  registered: Set<string>;
  /** Widths at 1 pt by font and text; may be shared by the typesetters of one summary. */
  widths: Map<string, number>;
}

export function createTypesetter(
  doc: PDFKit.PDFDocument,
  lang: LanguageCode,
  dir: 'ltr' | 'rtl',
  options: { dry?: boolean; widths?: Map<string, number> } = {},
): Typesetter {
  const primary = primaryRole(lang);
  const lineFactor = primary === 'latin' ? 1.3 : 1.45;
  return { doc, dir, primary, lineFactor, dry: options.dry ?? false, registered: new Set(), widths: options.widths ?? new Map() };
}

export const lineHeight = (ts: Typesetter, style: TextStyle): number => style.size * ts.lineFactor;

// Zero-width bidi controls (ICU puts U+061C in Arabic percentages) steer the bidi pass but
// have no glyph in the fonts.
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;
const NO_DIRECTION = /\p{Script=Common}|\p{Script=Inherited}/u;
const RTL_SCRIPT = /\p{Script=Arabic}|\p{Script=Hebrew}/u;
const ANY_RTL = /[\p{Script=Arabic}\p{Script=Hebrew}]/u;
const LTR_OPTS: PDFKit.Mixins.TextOptions = { lineBreak: false, baseline: 'alphabetic' };
// Passing `features` makes pdfkit lay out the whole string at once instead of word by word,
// which keeps fontkit's right-to-left glyph order intact (left-to-right text keeps pdfkit's
// faster per-word layout cache).
const RTL_OPTS: PDFKit.Mixins.TextOptions = { ...LTR_OPTS, features: [] };
const optionsFor = (text: string): PDFKit.Mixins.TextOptions => (ANY_RTL.test(text) ? RTL_OPTS : LTR_OPTS);

function useFont(ts: Typesetter, role: FontRole, weight: FontWeight, size: number): PDFKit.PDFDocument {
  const name = pdfFontName(role, weight);
  if (!ts.registered.has(name)) {
    ts.doc.registerFont(name, fontBuffer(role, weight));
    ts.registered.add(name);
  }
  return ts.doc.font(name).fontSize(size);
}

interface Piece {
  text: string;
  role: FontRole;
}

/** Splits text into runs of one font; characters every font has follow their neighbours. */
function fontPieces(ts: Typesetter, text: string): Piece[] {
  const chars = [...text.replace(INVISIBLE, '')];
  const roles = chars.map((ch) => roleForChar(ch, ts.primary));
  const firstRole = roles.find((r) => r !== null) ?? ts.primary;
  const pieces: Piece[] = [];
  let current = firstRole;
  chars.forEach((ch, i) => {
    current = roles[i] ?? current;
    const last = pieces[pieces.length - 1];
    if (last && last.role === current) last.text += ch;
    else pieces.push({ text: ch, role: current });
  });
  return pieces;
}

function pieceWidth(ts: Typesetter, piece: Piece, style: TextStyle): number {
  const weight: FontWeight = style.bold ? 'bold' : 'regular';
  const key = `${piece.role}|${weight}|${piece.text}`;
  let perPoint = ts.widths.get(key);
  if (perPoint === undefined) {
    perPoint = useFont(ts, piece.role, weight, 1).widthOfString(piece.text, optionsFor(piece.text));
    ts.widths.set(key, perPoint);
  }
  return perPoint * style.size;
}

export function measure(ts: Typesetter, text: string, style: TextStyle): number {
  return fontPieces(ts, text).reduce((sum, p) => sum + pieceWidth(ts, p, style), 0);
}

/** fontkit reverses glyphs itself when a string's first script is right-to-left. */
function fontkitReverses(text: string): boolean {
  for (const ch of text) if (!NO_DIRECTION.test(ch)) return RTL_SCRIPT.test(ch);
  return false;
}

/** The pieces of one line, left to right as they appear on the page, ready for fontkit. */
function visualPieces(ts: Typesetter, line: string): Piece[] {
  const levels = bidiLevels(line, ts.dir);
  const out: Piece[] = [];
  for (const run of visualRuns(line, levels, 0, line.length, ts.dir)) {
    let pieces = fontPieces(ts, line.slice(run.start, run.end));
    if (run.rtl) pieces = pieces.reverse().map((p) => ({ ...p, text: [...p.text].map(mirror).join('') }));
    for (const p of pieces) {
      const flip = fontkitReverses(p.text) !== run.rtl;
      out.push(flip ? { ...p, text: [...p.text].reverse().join('') } : p);
    }
  }
  return out;
}

/**
 * Draws one line inside [x, x + width] with its top at `top`; `start` is the reading side
 * (right in a right-to-left summary). Returns the drawn width.
 */
export function drawLine(ts: Typesetter, line: string, x: number, top: number, width: number, style: TextStyle, align: Align = 'start'): number {
  if (ts.dry) return measure(ts, line, style);
  const pieces = visualPieces(ts, line);
  const widths = pieces.map((p) => pieceWidth(ts, p, style));
  const total = widths.reduce((a, b) => a + b, 0);
  const toRight = (align === 'start') === (ts.dir === 'rtl');
  let px = align === 'center' ? x + (width - total) / 2 : toRight ? x + width - total : x;
  const baseline = top + style.size * (ts.lineFactor - 0.32);
  pieces.forEach((p, i) => {
    useFont(ts, p.role, style.bold ? 'bold' : 'regular', style.size)
      .fillColor(style.color ?? '#000000')
      .text(p.text, px, baseline, optionsFor(p.text));
    px += widths[i]!;
  });
  return total;
}

const CJK_CHAR = '\\u3040-\\u30FF\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF';
const TOKEN = new RegExp(
  `[${CJK_CHAR}][\\u3000-\\u303F\\uFF00-\\uFFEF\\p{Pe}\\p{Pf}\\p{Po}]*\\s*|[^\\s${CJK_CHAR}]+\\s*|\\s+`,
  'gu',
);

/** Cuts a word wider than the line into pieces that fit. */
function splitLongWord(ts: Typesetter, word: string, style: TextStyle, width: number): string[] {
  const parts: string[] = [];
  let part = '';
  for (const ch of word) {
    if (part && measure(ts, part + ch, style) > width) {
      parts.push(part);
      part = '';
    }
    part += ch;
  }
  if (part) parts.push(part);
  return parts;
}

/** Shortens a line so that it and a trailing ellipsis fit. */
export function withEllipsis(ts: Typesetter, line: string, style: TextStyle, width: number): string {
  let chars = [...line.trimEnd()];
  while (chars.length && measure(ts, `${chars.join('')}…`, style) > width) chars = chars.slice(0, -1);
  return `${chars.join('').trimEnd()}…`;
}

/**
 * Greedy line breaking at spaces (and between CJK characters). With `maxLines`, extra lines
 * are dropped and the last kept line ends with an ellipsis.
 */
export function wrapText(ts: Typesetter, text: string, style: TextStyle, width: number, maxLines = Infinity): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const token of paragraph.match(TOKEN) ?? []) {
      const tokenWidth = measure(ts, token.trimEnd(), style);
      if (line && lineWidth + tokenWidth > width) {
        lines.push(line.trimEnd());
        line = '';
      }
      if (!line && tokenWidth > width) {
        const parts = splitLongWord(ts, token.trimEnd(), style, width);
        lines.push(...parts.slice(0, -1));
        line = parts[parts.length - 1] ?? '';
      } else {
        line += line ? token : token.trimStart();
      }
      lineWidth = measure(ts, line, style);
    }
    lines.push(line.trimEnd());
  }
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = withEllipsis(ts, kept[maxLines - 1]!, style, width);
  return kept;
}
