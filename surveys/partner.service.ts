import mongoose from 'mongoose';
import { BadRequestError, ConflictError, NotFoundError, ValidationError } from '../server/errors.js';
import { getCatalog } from './catalog.service.js';
import { PartnerModel } from './partner.model.js';
import { checkPartner, checkProgram, nameKey, PARTNER_STATUSES, type PartnerInput, type PartnerStatus } from './partner.schema.js';

export interface ProgramView {
  id: string;
  /** YYYY-MM-DD */
  date: string;
  title: string;
  notes: string;
}

export interface PartnerView extends PartnerInput {
  id: string;
  programs: ProgramView[];
  createdAt: Date;
  updatedAt: Date;
}

/** Search and filters of the directory list; each is optional. */
export interface PartnerQuery {
  q?: string;
  type?: string;
  topic?: string;
  status?: PartnerStatus;
}

export interface OrganizationRef {
  id: string;
  name: string;
  status: PartnerStatus;
}

/** Dashboard order: the partners already working with the library first. */
const STATUS_ORDER: Record<PartnerStatus, number> = { active: 0, contacted: 1, idea: 2, past: 3 };
const MAX_SEARCH = 100;

type StoredPartner = Omit<PartnerView, 'id' | 'programs'> & { _id: unknown; programs?: { _id: unknown; date: Date; title: string; notes?: string }[] };

function toView(doc: StoredPartner): PartnerView {
  const { _id, programs, ...rest } = doc as StoredPartner & { nameKey?: string };
  delete (rest as { nameKey?: string }).nameKey;
  return {
    ...rest,
    id: String(_id),
    programs: (programs ?? [])
      .map((p) => ({ id: String(p._id), date: p.date.toISOString().slice(0, 10), title: p.title, notes: p.notes ?? '' }))
      .sort((a, b) => b.date.localeCompare(a.date) || a.title.localeCompare(b.title)),
  };
}

const isObjectId = (id: string): boolean => /^[0-9a-f]{24}$/i.test(id);

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Reads the list's search and filters from a query string; unknown types, topics or statuses are a 400. */
export function parsePartnerQuery(raw: Record<string, unknown>): PartnerQuery {
  const one = (v: unknown): string => (typeof v === 'string' ? v.trim() : Array.isArray(v) || (v && typeof v === 'object') ? '\u0000' : '');
  const catalog = getCatalog();
  const q = one(raw.q);
  const type = one(raw.type);
  const topic = one(raw.topic);
  const status = one(raw.status);
  if (q.includes('\u0000') || (type && !catalog.partnerTypes.includes(type)) || (topic && !catalog.topicIds.has(topic)) || (status && !(PARTNER_STATUSES as readonly string[]).includes(status))) {
    throw new BadRequestError('invalidFilter', 'unknown partner type, topic or status');
  }
  return { ...(q ? { q: q.slice(0, MAX_SEARCH) } : {}), ...(type ? { type } : {}), ...(topic ? { topic } : {}), ...(status ? { status: status as PartnerStatus } : {}) };
}

/** The MongoDB query for a search: the text is matched literally (regex-escaped), ignoring case. */
function partnerFilter(query: PartnerQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (query.type) filter.type = query.type;
  if (query.topic) filter.topics = query.topic;
  if (query.status) filter.status = query.status;
  if (query.q) {
    const re = new RegExp(escapeRegExp(query.q), 'i');
    filter.$or = [{ name: re }, { contact: re }, { notes: re }];
  }
  return filter;
}

/** One page of the directory, sorted by name. */
export async function listPartners(query: PartnerQuery, page = 1, perPage = 50): Promise<{ total: number; page: number; pages: number; partners: PartnerView[] }> {
  const filter = partnerFilter(query);
  const total = await PartnerModel.countDocuments(filter);
  const pages = Math.max(1, Math.ceil(total / perPage));
  const current = Math.min(Math.max(1, page), pages);
  const docs = await PartnerModel.find(filter).sort({ nameKey: 1, type: 1 }).skip((current - 1) * perPage).limit(perPage).lean();
  return { total, page: current, pages, partners: docs.map((d) => toView(d as unknown as StoredPartner)) };
}

/** Every organization matching a search (for the CSV export), sorted by name. */
export async function allPartners(query: PartnerQuery = {}): Promise<PartnerView[]> {
  const docs = await PartnerModel.find(partnerFilter(query)).sort({ nameKey: 1, type: 1 }).lean();
  return docs.map((d) => toView(d as unknown as StoredPartner));
}

export async function getPartner(id: string): Promise<PartnerView> {
  const doc = isObjectId(id) ? await PartnerModel.findById(id).lean() : null;
  if (!doc) throw new NotFoundError('notFound');
  return toView(doc as unknown as StoredPartner);
}

async function assertUnique(value: PartnerInput, exceptId?: string): Promise<void> {
  const clash = await PartnerModel.findOne({ nameKey: nameKey(value.name), type: value.type, ...(exceptId ? { _id: mongoose.trusted({ $ne: new mongoose.Types.ObjectId(exceptId) }) } : {}) }, { _id: 1 }).lean();
  if (clash) throw new ValidationError([{ field: 'name', code: 'duplicate' }]);
}

const duplicateKey = (err: unknown): boolean => (err as { code?: number }).code === 11000;

function checked(input: unknown): PartnerInput {
  const result = checkPartner(input);
  if (!result.ok) throw new ValidationError(result.problems);
  return result.value;
}

/** Adds an organization. Throws ValidationError (field problems, or `duplicate` for the same name and type). */
export async function createPartner(input: unknown): Promise<PartnerView> {
  const value = checked(input);
  await assertUnique(value);
  try {
    const doc = await PartnerModel.create({ ...value, nameKey: nameKey(value.name) });
    return getPartner(String(doc._id));
  } catch (err) {
    if (duplicateKey(err)) throw new ValidationError([{ field: 'name', code: 'duplicate' }]);
    throw err;
  }
}

/** Replaces an organization's fields (its program history is kept). */
export async function updatePartner(id: string, input: unknown): Promise<PartnerView> {
  await getPartner(id);
  const value = checked(input);
  await assertUnique(value, id);
  try {
    await PartnerModel.updateOne({ _id: id }, { $set: { ...value, nameKey: nameKey(value.name) } });
  } catch (err) {
    if (duplicateKey(err)) throw new ValidationError([{ field: 'name', code: 'duplicate' }]);
    throw err;
  }
  return getPartner(id);
}

export async function deletePartner(id: string): Promise<void> {
  const result = isObjectId(id) ? await PartnerModel.deleteOne({ _id: id }) : { deletedCount: 0 };
  if (!result.deletedCount) throw new NotFoundError('notFound');
}

/** Adds a program to an organization's history. */
export async function addProgram(id: string, input: unknown): Promise<void> {
  await getPartner(id);
  const result = checkProgram(input);
  if (!result.ok) throw new ValidationError(result.problems);
  const { date, title, notes } = result.value;
  await PartnerModel.updateOne({ _id: id }, { $push: { programs: { _id: new mongoose.Types.ObjectId(), date: new Date(`${date}T00:00:00Z`), title, notes } } });
}

/**
 * Removes one program from the history; a program that is already gone is not an error.
 * FerretDB's `$pull` takes no conditions, so the list is rewritten, guarded by `updatedAt`
 * (every change moves it) so a concurrent change is never lost.
 */
export async function removeProgram(id: string, programId: string): Promise<void> {
  if (!isObjectId(id) || !isObjectId(programId)) throw new NotFoundError('notFound');
  for (let attempt = 0; attempt < 5; attempt++) {
    const doc = await PartnerModel.findById(id, { programs: 1, updatedAt: 1 }).lean();
    if (!doc) throw new NotFoundError('notFound');
    const rest = doc.programs.filter((p) => String(p._id) !== programId);
    if (rest.length === doc.programs.length) return;
    const result = await PartnerModel.updateOne({ _id: id, updatedAt: doc.updatedAt }, { $set: { programs: rest } });
    if (result.matchedCount) return;
  }
  throw new ConflictError('conflict');
}

/**
 * The directory's organizations for each (topic, partner type) pair, in one query: those of
 * that type whose topics include the topic, active first, then contacted, then idea, by name.
 * Past partners are left out: the cards suggest whom to work with now. Keys are "topic/type";
 * every pair asked for has a key (an empty list when there are none).
 */
export async function organizationsFor(pairs: { topic: string; type: string }[]): Promise<Map<string, OrganizationRef[]>> {
  const result = new Map<string, OrganizationRef[]>(pairs.map((p) => [`${p.topic}/${p.type}`, []]));
  if (!pairs.length) return result;
  const docs = await PartnerModel.find(
    { type: mongoose.trusted({ $in: [...new Set(pairs.map((p) => p.type))] }), topics: mongoose.trusted({ $in: [...new Set(pairs.map((p) => p.topic))] }), status: mongoose.trusted({ $in: ['active', 'contacted', 'idea'] }) },
    { name: 1, nameKey: 1, type: 1, topics: 1, status: 1 },
  ).lean();
  docs.sort((a, b) => STATUS_ORDER[a.status as PartnerStatus] - STATUS_ORDER[b.status as PartnerStatus] || a.nameKey.localeCompare(b.nameKey));
  for (const d of docs) {
    for (const topic of d.topics) {
      result.get(`${topic}/${d.type}`)?.push({ id: String(d._id), name: d.name, status: d.status as PartnerStatus });
    }
  }
  return result;
}
