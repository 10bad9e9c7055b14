import mongoose, { Schema } from 'mongoose';

export const ROLES = ['admin', 'staff', 'board'] as const;
export type Role = (typeof ROLES)[number];

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    name: { type: String, required: true, trim: true },
    role: { type: String, enum: ROLES, required: true },
    /** argon2id hash (memory-hard); the password itself is never stored. */
    passwordHash: { type: String, required: true },
    disabled: { type: Boolean, default: false },
    lastLoginAt: { type: Date },
    /** When the password last changed (by its owner or an administrator's reset). */
    passwordChangedAt: { type: Date },
    /** Bumped when the password changes; a session signed in under an older value is ended. */
    sessionVersion: { type: Number, default: 0 },
  },
  { timestamps: true, versionKey: false },
);

export const UserModel = mongoose.model('User', userSchema, 'users');

/** A one-document lock so two people running first-time setup at once cannot both create an admin. */
const setupLockSchema = new Schema({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false });
export const SetupLockModel = mongoose.model('SetupLock', setupLockSchema, 'setup_lock');
