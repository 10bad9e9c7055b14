import { Router, type Request, type Response } from 'express';
import type { LanguageCode } from '../../surveys/languages.js';
import { exportRows, CSV_COLUMNS } from '../../surveys/partner-csv.js';
import { addProgram, allPartners, createPartner, deletePartner, getPartner, listPartners, parsePartnerQuery, removeProgram, updatePartner, type PartnerView } from '../../surveys/partner.service.js';
import { ValidationError, type FieldProblem } from '../errors.js';
import { requireRole } from '../middleware/auth.js';
import { catalogChoices, dayFormatter, formValues, listHref, partnerBody, PARTNERS_BASE, STATUSES } from '../partners-view.js';
import { sendCsv } from './api.js';
import { partnersImportRouter } from './partners-import.js';

const BASE = PARTNERS_BASE;
const detailHref = (id: string): string => `${BASE}/${encodeURIComponent(id)}`;
const canEdit = (res: Response): boolean => ['admin', 'staff'].includes(res.locals.user?.role);
const lang = (res: Response): LanguageCode => res.locals.lang as LanguageCode;

/** Re-throws anything but a validation error, so a form can be shown again with its problems. */
function problemsOf(err: unknown): FieldProblem[] {
  if (!(err instanceof ValidationError)) throw err;
  return err.problems;
}

function renderForm(res: Response, status: number, options: { partner?: PartnerView; values: ReturnType<typeof formValues>; problems: FieldProblem[] }): void {
  res.status(status).render('staff/partners/form', {
    partner: options.partner ?? null,
    values: options.values,
    problems: options.problems,
    action: options.partner ? detailHref(options.partner.id) : BASE,
    cancel: options.partner ? detailHref(options.partner.id) : BASE,
    choices: catalogChoices(lang(res)),
    statuses: STATUSES,
    styles: ['/public/css/partners.css'],
  });
}

async function renderDetail(req: Request, res: Response, status = 200, program: { values?: Record<string, string>; problems?: FieldProblem[] } = {}): Promise<void> {
  const partner = await getPartner(String(req.params.id));
  res.status(status).render('staff/partners/show', {
    partner,
    choices: catalogChoices(lang(res)),
    canEdit: canEdit(res),
    saved: req.query.saved === '1',
    programValues: program.values ?? {},
    programProblems: program.problems ?? [],
    base: BASE,
    self: detailHref(partner.id),
    formatDay: dayFormatter(lang(res)),
    styles: ['/public/css/partners.css'],
  });
}

/** The directory of local partner organizations (/staff/partners): board may read, staff may change. */
export function partnersRouter(): Router {
  const router = Router();
  router.use(BASE, requireRole('board'));

  router.get(BASE, async (req, res) => {
    const query = parsePartnerQuery(req.query);
    const result = await listPartners(query, Math.max(1, Math.min(10000, Number(req.query.page) || 1)));
    const count = (v: unknown): number => Math.max(0, Math.min(1e6, Number(v) || 0));
    res.render('staff/partners/index', {
      query,
      result,
      filtered: Object.keys(query).length > 0,
      choices: catalogChoices(lang(res)),
      statuses: STATUSES,
      canEdit: canEdit(res),
      notice: req.query.done === 'deleted' ? { kind: 'deleted' } : req.query.done === 'imported' ? { kind: 'imported', created: count(req.query.created), updated: count(req.query.updated) } : null,
      links: {
        page: (n: number) => listHref(BASE, query, { page: String(n) }),
        csv: listHref(`${BASE}/export`, query),
        base: BASE,
        detail: detailHref,
      },
      styles: ['/public/css/partners.css'],
    });
  });

  router.get(`${BASE}/export`, async (req, res) => {
    const partners = await allPartners(parsePartnerQuery(req.query));
    sendCsv(res, `partners-${new Date().toISOString().slice(0, 10)}.csv`, [...CSV_COLUMNS], exportRows(partners, lang(res)));
  });

  router.use(partnersImportRouter());

  router.get(`${BASE}/new`, requireRole('staff'), (req, res) => {
    const type = typeof req.query.type === 'string' ? req.query.type : '';
    const topic = typeof req.query.topic === 'string' ? req.query.topic : '';
    renderForm(res, 200, { values: formValues({ type, topics: topic ? [topic] : [] }), problems: [] });
  });

  router.post(BASE, requireRole('staff'), async (req, res) => {
    try {
      const partner = await createPartner(partnerBody(req.body));
      res.redirect(303, `${detailHref(partner.id)}?saved=1`);
    } catch (err) {
      renderForm(res, 422, { values: formValues(partnerBody(req.body)), problems: problemsOf(err) });
    }
  });

  router.get(`${BASE}/:id`, (req, res) => renderDetail(req, res));

  router.get(`${BASE}/:id/edit`, requireRole('staff'), async (req, res) => {
    const partner = await getPartner(String(req.params.id));
    renderForm(res, 200, { partner, values: formValues(partner), problems: [] });
  });

  router.post(`${BASE}/:id`, requireRole('staff'), async (req, res) => {
    const partner = await getPartner(String(req.params.id));
    try {
      await updatePartner(partner.id, partnerBody(req.body));
      res.redirect(303, `${detailHref(partner.id)}?saved=1`);
    } catch (err) {
      renderForm(res, 422, { partner, values: formValues(partnerBody(req.body)), problems: problemsOf(err) });
    }
  });

  router.get(`${BASE}/:id/delete`, requireRole('staff'), async (req, res) => {
    const partner = await getPartner(String(req.params.id));
    res.render('staff/partners/delete', { partner, choices: catalogChoices(lang(res)), self: detailHref(partner.id), styles: ['/public/css/partners.css'] });
  });

  router.post(`${BASE}/:id/delete`, requireRole('staff'), async (req, res) => {
    await deletePartner(String(req.params.id));
    res.redirect(303, `${BASE}?done=deleted`);
  });

  router.post(`${BASE}/:id/programs`, requireRole('staff'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = Object.fromEntries(['date', 'title', 'notes'].map((k) => [k, typeof body[k] === 'string' ? body[k] : '']));
    try {
      await addProgram(String(req.params.id), values);
      res.redirect(303, `${detailHref(String(req.params.id))}#programs`);
    } catch (err) {
      await renderDetail(req, res, 422, { values, problems: problemsOf(err) });
    }
  });

  router.post(`${BASE}/:id/programs/:programId/delete`, requireRole('staff'), async (req, res) => {
    await removeProgram(String(req.params.id), String(req.params.programId));
    res.redirect(303, `${detailHref(String(req.params.id))}#programs`);
  });

  return router;
}
