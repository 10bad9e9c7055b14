import type { TFunction } from 'i18next';
import { funnelByChannel, type ChannelFunnel } from '../analytics/funnel.js';
import type { ResponseFilter } from '../surveys/filters.js';
import { funnelCounts } from '../surveys/funnel/funnel.service.js';
import { CHANNELS } from '../surveys/response.model.js';
import { pct } from './dashboard-view.js';

/** The funnel's figures for a survey: pages, and one funnel for all channels and one per channel that has counts. */
export interface FunnelData {
  pages: number;
  channels: ChannelFunnel[];
  /** Only the date and channel filters apply: visits are not linked to answers. */
  filtered: boolean;
}

/**
 * The counts for the dashboard's dates and channel. The number of pages is the highest page
 * anyone reached (at least 1): a form without pages is one page, and when definitions have pages
 * their counts come in as `reached` page 2, 3, … (surveys/funnel/CONTEXT.md).
 */
export async function funnelData(slug: string, filter: ResponseFilter): Promise<FunnelData> {
  const counts = (await funnelCounts(slug, { from: filter.from, to: filter.to })).filter((c) => !filter.channel || c.channel === filter.channel);
  const pages = Math.max(1, ...counts.filter((c) => c.kind === 'reached' && c.n > 0).map((c) => c.page));
  const channels = funnelByChannel(counts, CHANNELS, pages);
  return { pages, channels: filter.channel ? channels.filter((c) => c.channel === filter.channel) : channels, filtered: Object.keys(filter.answers).length > 0 || Boolean(filter.lang || filter.location) };
}

export interface FunnelRowView {
  step: string;
  n: number;
  share: string;
  breakoff: string;
}

export interface FunnelChannelView {
  id: string;
  label: string;
  sentence: string;
  rows: FunnelRowView[];
}

/** The funnel in words and table rows, in the page's language. */
export function funnelView(data: FunnelData, t: TFunction): FunnelChannelView[] {
  const counted = data.channels.filter((c) => c.opened > 0 || c.sent > 0);
  // "All channels" only adds something when more than one channel has counts.
  const shown = counted.filter((c) => c.channel !== 'all').length > 1 ? counted : counted.filter((c) => c.channel !== 'all');
  return shown.map((c) => {
    const rows: FunnelRowView[] = c.pages.map((p) => ({
      step: p.page === 1 ? t('staff:funnel.opened') : t('staff:funnel.reachedPage', { page: p.page, pages: data.pages }),
      n: p.reached,
      share: p.reachedShare === null ? '–' : pct(p.reachedShare),
      breakoff: p.breakoff === null ? '–' : pct(p.breakoff),
    }));
    rows.push({ step: t('staff:funnel.sent'), n: c.sent, share: c.completion === null ? '–' : pct(c.completion), breakoff: '–' });
    const sentence = c.opened > 0 ? t(`staff:funnel.sentence.${c.channel}`, { count: c.opened, sent: c.sent, percent: pct(c.completion ?? 0) }) : t('staff:funnel.sentWithoutOpen', { sent: c.sent });
    return { id: c.channel, label: c.channel === 'all' ? t('staff:funnel.allChannels') : t(`staff:channels.${c.channel}`), sentence, rows };
  });
}
