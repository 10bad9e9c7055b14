import { contentWidth, room, type Flow } from './page-flow.js';
import { drawLine, lineHeight, wrapText, type Align, type TextStyle } from './typesetter.js';

export interface Column {
  /** Share of the content width. */
  share: number;
  align?: Align;
}

export interface Cell {
  text: string;
  bold?: boolean;
  maxLines?: number;
}

export interface Row {
  cells: (string | Cell)[];
  /** A line of smaller text under the row, from column `noteFrom` to the end. */
  note?: string;
}

export interface TableOptions {
  columns: Column[];
  header?: string[];
  style: TextStyle;
  noteStyle?: TextStyle;
  noteFrom?: number;
  noteMaxLines?: number;
}

const RULE = '#9a9a9a';

/** Column boxes, first column on the reading side. */
function columnBoxes(flow: Flow, columns: Column[]): { x: number; width: number }[] {
  const total = contentWidth(flow);
  let offset = 0;
  return columns.map((c) => {
    const width = total * c.share;
    const x = flow.ts.dir === 'rtl' ? flow.right - offset - width : flow.left + offset;
    offset += width;
    return { x, width };
  });
}

function spanBox(flow: Flow, boxes: { x: number; width: number }[], from: number): { x: number; width: number } {
  const span = boxes.slice(from);
  const x = Math.min(...span.map((b) => b.x));
  const width = span.reduce((sum, b) => sum + b.width, 0);
  return { x, width };
}

/**
 * A plain table (no fills, hairlines between rows). A row never splits across pages; the
 * header repeats on a new page.
 */
export function table(flow: Flow, rows: Row[], options: TableOptions): void {
  const { columns, style } = options;
  const noteStyle = options.noteStyle ?? style;
  const pad = style.size * 0.3;
  const boxes = columnBoxes(flow, columns);
  const lh = lineHeight(flow.ts, style);
  const noteLh = lineHeight(flow.ts, noteStyle);
  const headerStyle = { ...style, bold: true };
  const cellLines = (text: string, i: number, s: TextStyle, maxLines?: number): string[] =>
    text ? wrapText(flow.ts, text, s, boxes[i]!.width - 2 * pad, maxLines) : [];
  const headerLines = options.header?.map((h, i) => cellLines(h, i, headerStyle));
  const headerHeight = headerLines ? Math.max(1, ...headerLines.map((l) => l.length)) * lh + 2 * pad : 0;

  const drawHeader = (): void => {
    if (!headerLines) return;
    headerLines.forEach((lines, i) =>
      lines.forEach((line, j) => drawLine(flow.ts, line, boxes[i]!.x + pad, flow.y + pad + j * lh, boxes[i]!.width - 2 * pad, headerStyle, columns[i]!.align)),
    );
    flow.y += headerHeight;
    hairline(flow, 0.8, '#000000');
  };

  let page = -1;
  for (const row of rows) {
    const cells = row.cells.map((c) => (typeof c === 'string' ? { text: c } : c));
    const lines = cells.map((c, i) => cellLines(c.text, i, { ...style, bold: c.bold }, c.maxLines));
    const note = row.note ? spanBox(flow, boxes, options.noteFrom ?? 0) : undefined;
    const noteLines = row.note && note ? wrapText(flow.ts, row.note, noteStyle, note.width - 2 * pad, options.noteMaxLines) : [];
    const height = Math.max(1, ...lines.map((l) => l.length)) * lh + noteLines.length * noteLh + 2 * pad;
    const fitsHere = flow.page === page && flow.y + height <= flow.bottom;
    if (!fitsHere && !room(flow, height + headerHeight)) return;
    if (flow.page !== page) {
      drawHeader();
      page = flow.page;
    }
    lines.forEach((cellText, i) =>
      cellText.forEach((line, j) =>
        drawLine(flow.ts, line, boxes[i]!.x + pad, flow.y + pad + j * lh, boxes[i]!.width - 2 * pad, { ...style, bold: cells[i]!.bold }, columns[i]!.align),
      ),
    );
    const noteTop = flow.y + pad + Math.max(1, ...lines.map((l) => l.length)) * lh;
    if (note) noteLines.forEach((line, j) => drawLine(flow.ts, line, note.x + pad, noteTop + j * noteLh, note.width - 2 * pad, noteStyle));
    flow.y += height;
    hairline(flow, 0.4, RULE);
  }
}

function hairline(flow: Flow, thickness: number, color: string): void {
  if (flow.ts.dry) return;
  flow.ts.doc.moveTo(flow.left, flow.y).lineTo(flow.right, flow.y).lineWidth(thickness).strokeColor(color).stroke();
}
