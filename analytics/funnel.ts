/**
 * The completion funnel: how far people get through a form, from anonymous counters of pages
 * shown and answers sent (no person is followed from one count to the next).
 *
 * Method: a plain step funnel (as in web analytics, e.g. Kaushik 2009, "Web Analytics 2.0",
 * ch. 5). Page 1 shown is an **open**; page k + 1 shown counts as reaching it; a stored
 * submission counts as **sent**. For page k,
 *   reached share = reached(k) / opened,
 *   breakoff      = (reached(k) − reached(k + 1)) / reached(k), with reached(pages + 1) = sent,
 * and completion = sent / opened. The counters count page views, not people: a reload or Back
 * and Next shows a page twice, and a form opened before counting began can be sent after it, so
 * a later step can exceed an earlier one. Breakoff is then shown as 0 rather than negative, and
 * completion is not capped (it tells staff the counts are rough, which they are).
 */

export interface FunnelCount {
  channel: string;
  /** `reached`: page `page` was shown (page 1 = the survey was opened); `sent`: answers stored. */
  kind: 'reached' | 'sent';
  page: number;
  n: number;
}

export interface FunnelPage {
  page: number;
  reached: number;
  /** reached / opened, null when nobody opened. */
  reachedShare: number | null;
  /** Of those who reached this page, the share who went no further (0..1), null when nobody reached it. */
  breakoff: number | null;
}

export interface ChannelFunnel {
  /** A channel id, or `all` for every channel together. */
  channel: string;
  opened: number;
  sent: number;
  /** sent / opened, null when nobody opened. */
  completion: number | null;
  pages: FunnelPage[];
}

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

function one(channel: string, counts: readonly FunnelCount[], pageCount: number): ChannelFunnel {
  const reached = Array.from({ length: pageCount }, () => 0);
  let sent = 0;
  for (const c of counts) {
    if (!Number.isFinite(c.n) || c.n < 0) throw new RangeError(`a funnel count must be a non-negative number, got ${c.n}`);
    if (c.kind === 'sent') sent += c.n;
    // Pages beyond the survey's current pages (a definition changed) are left out.
    else if (Number.isInteger(c.page) && c.page >= 1 && c.page <= pageCount) reached[c.page - 1]! += c.n;
  }
  const opened = reached[0] ?? 0;
  const pages = reached.map((n, i): FunnelPage => {
    const next = i + 1 < pageCount ? reached[i + 1]! : sent;
    return { page: i + 1, reached: n, reachedShare: share(n, opened), breakoff: n > 0 ? Math.max(0, n - next) / n : null };
  });
  return { channel, opened, sent, completion: share(sent, opened), pages };
}

/**
 * One funnel per channel (in the order given) and one for all of them together, first. A
 * channel with no counts at all is left out (paper forms are never opened online).
 */
export function funnelByChannel(counts: readonly FunnelCount[], channels: readonly string[], pageCount: number): ChannelFunnel[] {
  if (!Number.isInteger(pageCount) || pageCount < 1) throw new RangeError(`pageCount must be a whole number ≥ 1, got ${pageCount}`);
  const out = [one('all', counts, pageCount)];
  for (const channel of channels) {
    const mine = counts.filter((c) => c.channel === channel);
    if (mine.some((c) => c.n > 0)) out.push(one(channel, mine, pageCount));
  }
  return out;
}
