import mongoose, { Schema } from 'mongoose';

/**
 * An uploaded file between its preview and its confirmation, kept on the server (never in the
 * page): one head document (`_id` = the batch id) and the parsed rows in chunk documents
 * (`batch` = the head's id) so a large file never comes near the document size limit.
 * FerretDB does not run TTL indexes, so `expiresAt` is checked on every read and old batches
 * are swept when a new file arrives.
 */
const importBatchSchema = new Schema(
  {
    _id: { type: String, required: true },
    batch: { type: String },
    surveySlug: { type: String, required: true },
    userId: { type: String },
    fileName: { type: String },
    fileKind: { type: String },
    headers: { type: [String], default: undefined },
    mapping: { type: [String], default: undefined },
    lang: { type: String },
    tag: { type: String },
    rowCount: { type: Number },
    /** `ready`, or `importing` while one confirmation runs (claimed atomically). */
    state: { type: String },
    claimedAt: { type: Date },
    /** Chunk documents: their order and the rows as JSON text. */
    index: { type: Number },
    rows: { type: String },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
importBatchSchema.index({ batch: 1 });
importBatchSchema.index({ expiresAt: 1 });

export const ImportBatchModel = mongoose.model('ImportBatch', importBatchSchema, 'import_batches');
