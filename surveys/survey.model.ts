import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { surveysChanged } from './survey-changes.js';

/** `archived` surveys are closed to respondents and hidden from the staff list by default. */
export const SURVEY_STATUSES = ['open', 'closed', 'archived'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

const surveySchema = new Schema(
  {
    slug: { type: String, required: true, unique: true },
    status: { type: String, enum: SURVEY_STATUSES, default: 'open' },
    /** The latest published version; 0 while a survey made in the builder has only a draft. */
    version: { type: Number, required: true, min: 0 },
    /** The current (latest published) definition; earlier ones are in survey_versions. Absent before the first publish. */
    definition: { type: Schema.Types.Mixed },
    closesAt: { type: Date },
    /** Staff analysis settings: composite score weights and population shares for weighting. */
    analysis: { type: Schema.Types.Mixed, default: {} },
    /** The builder's working copy (a definition that may not be valid yet); publishing makes it the next version. */
    draft: { type: Schema.Types.Mixed },
    /** Bumped at each draft change, so two edits at once never overwrite each other. */
    draftRevision: { type: Number, default: 0 },
    draftUpdatedAt: { type: Date },
    /** Survey languages not offered to respondents yet (e.g. until their translation is complete). */
    hiddenLanguages: { type: [String], default: [] },
  },
  { timestamps: true, minimize: false },
);

const surveyVersionSchema = new Schema(
  {
    slug: { type: String, required: true },
    version: { type: Number, required: true, min: 1 },
    definition: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, minimize: false },
);
surveyVersionSchema.index({ slug: 1, version: 1 }, { unique: true });

// Every write through the model tells the respondent-page cache (surveys/survey-cache.ts) in this
// process at once; other instances see the change when their short cache time ends.
const WRITES = ['updateOne', 'updateMany', 'findOneAndUpdate', 'findOneAndReplace', 'findOneAndDelete', 'replaceOne', 'deleteOne', 'deleteMany'] as const;
surveySchema.pre([...WRITES], surveysChanged);
surveySchema.post([...WRITES], surveysChanged);
surveySchema.pre('save', surveysChanged);
surveySchema.post('save', surveysChanged);
surveySchema.post('insertMany', surveysChanged);
surveySchema.pre('bulkWrite', surveysChanged);
surveySchema.post('bulkWrite', surveysChanged);

export type SurveyDoc = InferSchemaType<typeof surveySchema>;
export const SurveyModel = mongoose.model('Survey', surveySchema, 'surveys');
export const SurveyVersionModel = mongoose.model('SurveyVersion', surveyVersionSchema, 'survey_versions');
