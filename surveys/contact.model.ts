import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';

/**
 * A follow-up contact, kept apart from responses: no response id, and only the day it was
 * given (not the time), so it cannot be joined back to one person's answers.
 */
const contactSchema = new Schema(
  {
    /**
     * Set by fileContact from the submission in a way that cannot be traced back to it
     * (contact.service.ts); random for a contact filed any other way. Contacts filed before
     * this have an ObjectId.
     */
    _id: { type: String, default: () => randomUUID() },
    surveySlug: { type: String, required: true },
    email: { type: String },
    phone: { type: String },
    lang: { type: String, required: true },
    consentVersion: { type: String, required: true },
    day: { type: String, required: true },
  },
  { versionKey: false },
);
contactSchema.index({ surveySlug: 1, day: 1 });

export const ContactModel = mongoose.model('Contact', contactSchema, 'contacts');
