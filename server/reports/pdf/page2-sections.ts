import type { BoardSummaryModel } from '../summary.model.js';
import { gap, pageBreak, paragraph, type Flow } from './page-flow.js';
import { heading, small, subheading, type Density, type Formatters } from './summary-sections.js';
import { table } from './table.js';
import { lineHeight } from './typesetter.js';

/** What the board acts on: on a page of its own when it fits there, else straight after page 1's content. */
export function drawActHeading(flow: Flow, model: BoardSummaryModel, d: Density, ownPage: boolean): void {
  // A page 1 that is mostly empty (too few answers yet) keeps page 2's content: one page is enough then.
  if (ownPage && flow.y > flow.top + (flow.bottom - flow.top) / 2) pageBreak(flow);
  else gap(flow, d.base);
  paragraph(flow, model.strings.actOn, { size: d.base * 1.5, bold: true }, { keepWith: lineHeight(flow.ts, { size: d.base * 1.3 }) * 4 });
}

/** Each group's three most chosen topics, one row per group; small groups on one line. */
export function drawGroups(flow: Flow, model: BoardSummaryModel, d: Density, f: Formatters): void {
  if (model.groups.length === 0) return;
  heading(flow, model.strings.byGroup, d);
  paragraph(flow, model.strings.byGroupNote, small(d), { maxLines: 2 });
  for (const group of model.groups) {
    subheading(flow, group.question, d);
    const rows = group.rows.slice(0, d.maxGroupRows);
    table(
      flow,
      rows.map((r) => ({
        cells: [
          { text: `${f.isolate(r.label)} (${r.people})`, bold: true, maxLines: 2 },
          // The three topics on one or two lines, most chosen first.
          // Never cut short: a board reads every name.
          { text: r.topics.map((x) => `${f.isolate(x.name)}\u00a0${f.percent(x.reach)}`).join(' · '), maxLines: 4 },
        ],
      })),
      { columns: [{ share: 0.27 }, { share: 0.73 }], style: small(d) },
    );
    const hidden = group.rows.slice(rows.length).map((r) => r.label);
    if (hidden.length) paragraph(flow, `… ${f.list(hidden)}`, small(d), { maxLines: 1 });
    if (group.tooFew) paragraph(flow, group.tooFew, small(d), { maxLines: 2 });
  }
}

/** Under-heard groups, one line each; nothing else of the comparison (the dashboard has it all). */
export function drawUnderHeard(flow: Flow, model: BoardSummaryModel, d: Density): void {
  heading(flow, model.strings.whoAnswered, d);
  const { lines, message } = model.underHeard;
  if (lines.length === 0) {
    paragraph(flow, message, small(d), { maxLines: 2 });
    return;
  }
  paragraph(flow, model.strings.underHeardIntro, small(d), { maxLines: 2 });
  const shown = lines.slice(0, d.maxGroupRows);
  for (const question of [...new Set(shown.map((l) => l.question))]) {
    const texts = shown.filter((l) => l.question === question).map((l) => l.text);
    table(flow, [{ cells: [{ text: question, maxLines: 2 }, { text: texts.join('\n'), bold: true }] }], { columns: [{ share: 0.35 }, { share: 0.65 }], style: small(d) });
  }
  if (lines.length > shown.length) paragraph(flow, '…', small(d));
}

/** For each top topic: the organizations on file by type, and one line for the types with none. */
export function drawPartners(flow: Flow, model: BoardSummaryModel, d: Density): void {
  if (model.partners.length === 0) return;
  heading(flow, model.strings.partners, d);
  for (const group of model.partners) {
    subheading(flow, group.topic, d);
    const onFile = group.suggestions.filter((s) => s.organizations.length > 0).slice(0, d.maxSuggestions);
    if (onFile.length) {
      table(flow, onFile.map((s) => ({ cells: [{ text: s.name, bold: true, maxLines: 2 }, { text: s.onFile, maxLines: d.reasonLines }] })), { columns: [{ share: 0.3 }, { share: 0.7 }], style: small(d) });
    }
    if (group.missing) paragraph(flow, group.missing, small(d), { maxLines: d.reasonLines });
    gap(flow, d.base * 0.2);
  }
}
