import mongoose, { Schema } from 'mongoose';

/** The one settings document's id: there is one library per installation. */
export const SETTINGS_ID = 'library';

export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/svg+xml'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];

/**
 * The library's logo, kept in the settings document itself (at most a few hundred KB), so it
 * never touches the file system and every app instance serves the same bytes.
 */
const logoSchema = new Schema(
  {
    data: { type: Buffer, required: true },
    contentType: { type: String, enum: LOGO_TYPES, required: true },
    /** Content hash: the ETag, and the version in the logo's URL. */
    hash: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * Library branding and settings. A field that was never saved is absent, so the
 * configuration's value (LIBRARY_NAME, KIOSK_IDLE_SECONDS, KIOSK_LOCATION) applies.
 */
const settingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    libraryName: { type: String },
    thankYouUrl: { type: String },
    kioskIdleSeconds: { type: Number },
    kioskLocations: { type: [String], default: undefined },
    defaultLanguages: { type: [String], default: undefined },
    logo: { type: logoSchema },
  },
  { timestamps: true, versionKey: false, minimize: false },
);

export const SettingsModel = mongoose.model('Settings', settingsSchema, 'settings');
