import mongoose, { Schema } from 'mongoose';

/**
 * Failed sign-ins per email address, whether or not an account has that address, so the answer
 * to a stranger is the same either way. `_id` is a hash of the lower-cased address (the address
 * itself is not kept). FerretDB runs no TTL indexes: ended documents are deleted by the service.
 */
const loginThrottleSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Failures since the last lock (or since the count started). */
    failures: { type: Number, required: true, default: 0 },
    /** Until then, sign-in with this address works only from a browser trusted for the account. */
    lockedUntil: { type: Date },
    /** When the document means nothing any more (15 minutes after the last failure or the lock's end). */
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
loginThrottleSchema.index({ expiresAt: 1 });

export const LoginThrottleModel = mongoose.model('LoginThrottle', loginThrottleSchema, 'login_throttles');
