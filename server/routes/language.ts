import { Router } from 'express';
import { isLanguageCode } from '../../surveys/languages.js';
import { NotFoundError } from '../errors.js';
import { rememberLanguage, safeReturnPath } from '../middleware/language.js';

/**
 * The language switcher on staff pages: remembers the person's pick (the `lang` cookie) and
 * returns to the page they were on. This is the only place a staff member's interface language
 * changes; `?hl=` on a page shows that page alone in another language.
 */
export function languageRouter(secureCookies: boolean): Router {
  const router = Router();
  router.get('/language/:lang', (req, res) => {
    const code = req.params.lang;
    if (!isLanguageCode(code)) throw new NotFoundError('notFound', `no language "${code}"`);
    rememberLanguage(res, code, secureCookies);
    res.redirect(303, safeReturnPath(req.query.next));
  });
  return router;
}
