import { drawLine, lineHeight, measure, wrapText, type Align, type TextStyle, type Typesetter } from './typesetter.js';

/** Thrown when the content needs more pages than allowed; the caller retries denser. */
export class PageOverflow extends Error {
  constructor() {
    super('The summary needs more pages than allowed');
    this.name = 'PageOverflow';
  }
}

/** A cursor running down the pages of a document, mirrored for right-to-left summaries. */
export interface Flow {
  ts: Typesetter;
  left: number;
  right: number;
  top: number;
  bottom: number;
  y: number;
  page: number;
  maxPages: number;
  /** On the last, densest attempt: stop drawing at the end of the last page instead of throwing. */
  clip: boolean;
  clipped: boolean;
}

export const contentWidth = (flow: Flow): number => flow.right - flow.left;

/** The x and width of the content box with `indent` on the reading side. */
export function box(flow: Flow, indent = 0): { x: number; width: number } {
  const width = contentWidth(flow) - indent;
  return { x: flow.ts.dir === 'rtl' ? flow.left : flow.left + indent, width };
}

/** Makes room for `height` (a new page if needed); false once nothing more may be drawn. */
export function room(flow: Flow, height: number): boolean {
  if (flow.clipped) return false;
  if (flow.y + height <= flow.bottom) return true;
  if (flow.page < flow.maxPages) {
    if (!flow.ts.dry) flow.ts.doc.addPage();
    flow.page += 1;
    flow.y = flow.top;
    return true;
  }
  if (!flow.clip) throw new PageOverflow();
  flow.clipped = true;
  return false;
}

/** Starts the next page unless this one is still empty or it is the last (page 2 of the summary starts on its own). */
export function pageBreak(flow: Flow): void {
  if (flow.clipped || flow.y <= flow.top || flow.page >= flow.maxPages) return;
  if (!flow.ts.dry) flow.ts.doc.addPage();
  flow.page += 1;
  flow.y = flow.top;
}

export function gap(flow: Flow, height: number): void {
  flow.y = Math.min(flow.y + height, flow.bottom);
}

export interface ParagraphOptions {
  indent?: number;
  maxLines?: number;
  align?: Align;
  /** Extra height that must fit with the first line (keeps a heading with what follows). */
  keepWith?: number;
}

export function paragraph(flow: Flow, text: string, style: TextStyle, options: ParagraphOptions = {}): void {
  if (!text) return;
  const { x, width } = box(flow, options.indent);
  const lh = lineHeight(flow.ts, style);
  wrapText(flow.ts, text, style, width, options.maxLines).forEach((line, i) => {
    if (!room(flow, lh + (i === 0 ? (options.keepWith ?? 0) : 0))) return;
    drawLine(flow.ts, line, x, flow.y, width, style, options.align);
    flow.y += lh;
  });
}

export function rule(flow: Flow, color: string, thickness: number, indent = 0): void {
  const { x, width } = box(flow, indent);
  if (flow.ts.dry) return;
  flow.ts.doc.moveTo(x, flow.y).lineTo(x + width, flow.y).lineWidth(thickness).strokeColor(color).stroke();
}

/** Label and value pairs, labels in a column on the reading side. */
export function keyValues(flow: Flow, pairs: [string, string][], style: TextStyle): void {
  const bold = { ...style, bold: true };
  const labelWidth = Math.min(Math.max(...pairs.map(([k]) => measure(flow.ts, k, bold))) + style.size, contentWidth(flow) * 0.35);
  const valueWidth = contentWidth(flow) - labelWidth;
  const lh = lineHeight(flow.ts, style);
  const rtl = flow.ts.dir === 'rtl';
  for (const [key, value] of pairs) {
    const labelLines = wrapText(flow.ts, key, bold, labelWidth - style.size * 0.5);
    const valueLines = wrapText(flow.ts, value, style, valueWidth);
    const rows = Math.max(labelLines.length, valueLines.length);
    if (!room(flow, lh * Math.min(rows, 2))) return;
    for (let i = 0; i < rows; i++) {
      if (i > 0 && !room(flow, lh)) return;
      const labelX = rtl ? flow.right - labelWidth : flow.left;
      const valueX = rtl ? flow.left : flow.left + labelWidth;
      if (labelLines[i]) drawLine(flow.ts, labelLines[i]!, labelX, flow.y, labelWidth, bold);
      if (valueLines[i]) drawLine(flow.ts, valueLines[i]!, valueX, flow.y, valueWidth, style);
      flow.y += lh;
    }
  }
}

export function image(flow: Flow, png: Buffer, width: number, height: number): void {
  if (!room(flow, height)) return;
  const x = flow.ts.dir === 'rtl' ? flow.right - width : flow.left;
  if (!flow.ts.dry) flow.ts.doc.image(png, x, flow.y, { width, height });
  flow.y += height;
}
