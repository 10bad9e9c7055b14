import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { PARTNER_STATUSES } from './partner.schema.js';

/** One program the library ran with the organization. */
const programSchema = new Schema(
  {
    /** The day it took place (UTC midnight). */
    date: { type: Date, required: true },
    title: { type: String, required: true },
    notes: { type: String, default: '' },
  },
  { _id: true, versionKey: false },
);

/**
 * A local organization in the partner directory. Fields are checked with zod
 * (partner.schema.ts) before they reach the model.
 */
const partnerSchema = new Schema(
  {
    name: { type: String, required: true },
    /** The name without case or extra spaces: with `type`, what makes an organization unique. */
    nameKey: { type: String, required: true },
    /** A catalog partner type id. */
    type: { type: String, required: true },
    /** Catalog topic ids this organization can help with. */
    topics: { type: [String], default: [] },
    contact: { type: String, default: '' },
    email: { type: String, default: '' },
    phone: { type: String, default: '' },
    website: { type: String, default: '' },
    address: { type: String, default: '' },
    status: { type: String, enum: PARTNER_STATUSES, required: true, default: 'idea' },
    notes: { type: String, default: '' },
    programs: { type: [programSchema], default: [] },
  },
  { timestamps: true, versionKey: false },
);
partnerSchema.index({ nameKey: 1, type: 1 }, { unique: true });
partnerSchema.index({ type: 1, topics: 1 });

export type PartnerDoc = InferSchemaType<typeof partnerSchema>;
export const PartnerModel = mongoose.model('Partner', partnerSchema, 'partners');

/** A CSV import waiting for staff to confirm it after the preview (removed once used, or after a day). */
const partnerImportSchema = new Schema(
  {
    userId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    /** Only the columns present in the file are written on update. */
    columns: { type: [String], default: [] },
    rows: { type: [Schema.Types.Mixed], default: [] },
  },
  { versionKey: false },
);
export const PartnerImportModel = mongoose.model('PartnerImport', partnerImportSchema, 'partner_imports');
