import type { TFunction } from 'i18next';

/** Strings the progressive-enhancement scripts need, with `{label}`/`{place}` left for them to fill. */
export function clientStrings(t: TFunction, mostPerPage: number): Record<string, string | string[]> {
  const label = '{label}';
  const place = '{place}';
  return {
    chosen: t('ranking.chosen'),
    available: t('ranking.available'),
    emptyList: t('ranking.emptyList'),
    add: t('ranking.add', { label }),
    remove: t('ranking.remove', { label }),
    up: t('ranking.up', { label }),
    down: t('ranking.down', { label }),
    announceAdded: t('ranking.announceAdded', { label, place }),
    announceMoved: t('ranking.announceMoved', { label, place }),
    announceRemoved: t('ranking.announceRemoved', { label }),
    orderChosen: t('ranking.orderChosen'),
    savedOnDevice: t('form.savedOnDevice'),
    pageOf: t('form.pageOf', { number: '{number}', total: '{total}' }),
    // One text per count (plural rules differ by language), up to the most a page can have.
    errorSummary: Array.from({ length: mostPerPage }, (_, i) => t('form.errorSummary', { count: i + 1 })),
    errorPrefix: t('form.errorPrefix'),
    required: t('validation.required'),
    notANumber: t('validation.notANumber'),
    outOfRange: t('validation.outOfRange', { min: '{min}', max: '{max}' }),
    otherRequired: t('validation.otherRequired'),
    listen: t('form.listen'),
  };
}
