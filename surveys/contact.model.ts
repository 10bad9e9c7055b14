import mongoose, { Schema } from 'mongoose';

/**
 * A follow-up contact, kept apart from responses: no response id, and only the day it was
 * given (not the time), so it cannot be joined back to one person's answers.
 */
const contactSchema = new Schema(
  {
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
