import mongoose from 'mongoose';
import { markDatabaseUp, watchDatabase } from './availability.js';

// Query filters built from user input can never carry operators ({"$gt": ""} becomes a literal).
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

// Fail fast instead of queueing operations for long while the database is away: a respondent
// gets a clear "try again" (and the form back) within seconds, and the driver reconnects by itself.
mongoose.set('bufferTimeoutMS', 3000);

export type DbState = 'connected' | 'connecting' | 'disconnected' | 'disconnecting';

/** Connects the default Mongoose connection and makes sure every model's indexes exist. */
export async function connectDatabase(uri: string): Promise<typeof mongoose> {
  await mongoose.connect(uri, { serverSelectionTimeoutMS: 3000, heartbeatFrequencyMS: 2000, autoIndex: false });
  watchDatabase(mongoose.connection.getClient(), mongoose.connection);
  markDatabaseUp();
  await Promise.all(Object.values(mongoose.models).map((model) => model.createIndexes()));
  return mongoose;
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

/** Asks the server itself (the connection state alone lags behind a dead server). */
export async function pingDatabase(timeoutMs = 1500): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== 1) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      db
        .admin()
        .command({ ping: 1 })
        .then(() => {
          markDatabaseUp();
          return true;
        }),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function databaseState(): DbState {
  const states: Record<number, DbState> = { 0: 'disconnected', 1: 'connected', 2: 'connecting', 3: 'disconnecting' };
  return states[mongoose.connection.readyState] ?? 'disconnected';
}
