/** What a group insert needs of a collection (a Mongoose model's `collection` or the driver's). */
interface Insertable {
  insertMany(docs: Record<string, unknown>[], options: { ordered: boolean }): Promise<unknown>;
}

interface Pending {
  doc: Record<string, unknown>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface GroupInsertOptions {
  /** At most this many documents per insert. */
  limit?: number;
  /** Told of the documents each insert stored (those without their own write error). */
  onStored?: (docs: Record<string, unknown>[]) => void;
}

/**
 * An insert that resolves once its document is stored, where documents that arrive while an
 * insert is under way are stored together by the next one, one unordered `insertMany` (a group
 * commit): with many people answering at once the database gets one statement for a handful of
 * documents instead of one each (on FerretDB each costs a SQLite transaction), and nobody waits
 * for a timer. Each caller still gets its own outcome: stored, its own document's write error
 * (e.g. the duplicate key, 11000, of a reused id), or, when the whole write failed, that error.
 * Through the raw collection, so while the database is away the insert waits and times out as
 * the model's would.
 */
export function groupInsert(collection: () => Insertable, opts: GroupInsertOptions = {}): (doc: Record<string, unknown>) => Promise<void> {
  const limit = opts.limit ?? 200;
  const pending: Pending[] = [];
  let inserting = false;

  async function insertPending(): Promise<void> {
    inserting = true;
    try {
      while (pending.length) {
        const group = pending.splice(0, limit);
        try {
          await collection().insertMany(
            group.map((p) => p.doc),
            { ordered: false },
          );
          for (const p of group) p.resolve();
          opts.onStored?.(group.map((p) => p.doc));
        } catch (err) {
          const stored = settleFailedGroup(group, err);
          if (stored.length) opts.onStored?.(stored);
        }
      }
    } finally {
      inserting = false;
    }
  }

  return (doc) =>
    new Promise((resolve, reject) => {
      pending.push({ doc, resolve, reject });
      if (!inserting) void insertPending();
    });
}

/** An unordered insert that failed: documents with their own write error get it; the others were stored, unless the whole command failed. */
function settleFailedGroup(group: Pending[], err: unknown): Record<string, unknown>[] {
  const raw = (err as { writeErrors?: unknown }).writeErrors;
  const writeErrors = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { index: number; code: number; errmsg?: string }[];
  if (!writeErrors.length) {
    for (const p of group) p.reject(err);
    return [];
  }
  const byIndex = new Map(writeErrors.map((e) => [e.index, e]));
  const stored: Record<string, unknown>[] = [];
  group.forEach((p, i) => {
    const own = byIndex.get(i);
    if (!own) {
      stored.push(p.doc);
      return p.resolve();
    }
    p.reject(Object.assign(new Error(own.errmsg ?? `write error ${own.code}`), { code: own.code }));
  });
  return stored;
}
