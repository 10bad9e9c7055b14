import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const surveySchema = new Schema(
  {
    slug: { type: String, required: true, unique: true },
    status: { type: String, enum: ['open', 'closed'], default: 'open' },
    version: { type: Number, required: true, min: 1 },
    /** The current (latest published) definition; earlier ones are in survey_versions. */
    definition: { type: Schema.Types.Mixed, required: true },
    closesAt: { type: Date },
    /** Staff analysis settings: composite score weights and population shares for weighting. */
    analysis: { type: Schema.Types.Mixed, default: {} },
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

export type SurveyDoc = InferSchemaType<typeof surveySchema>;
export const SurveyModel = mongoose.model('Survey', surveySchema, 'surveys');
export const SurveyVersionModel = mongoose.model('SurveyVersion', surveyVersionSchema, 'survey_versions');
