import * as cheerio from 'cheerio';

export type Form = Record<string, string | string[]>;

/** The fields the page sends back, as a browser would: every named field of the form, with what is chosen. */
export function fieldsOf(html: string): Form {
  const $ = cheerio.load(html);
  const out: Form = {};
  const put = (name: string, value: string): void => {
    const had = out[name];
    out[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  };
  $('#survey-form input[name], #survey-form textarea[name], #survey-form select[name]').each((_, el) => {
    const $el = $(el);
    const name = $el.attr('name')!;
    const type = $el.attr('type');
    if (type === 'checkbox' || type === 'radio') {
      if ($el.is('[checked]')) put(name, $el.attr('value')!);
    } else if (el.tagName === 'select') {
      put(name, $el.find('option[selected]').attr('value') ?? '');
    } else if (el.tagName === 'textarea') {
      put(name, $el.text());
    } else {
      put(name, $el.attr('value') ?? '');
    }
  });
  return out;
}

export function shownPage($: cheerio.CheerioAPI): string[] {
  return $('section.form-page:not([hidden])').map((_, el) => $(el).attr('id')).get();
}
