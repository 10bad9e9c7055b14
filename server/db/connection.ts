import mongoose from 'mongoose';

// Query filters built from user input can never carry operators ({"$gt": ""} becomes a literal).
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

export type DbState = 'connected' | 'connecting' | 'disconnected' | 'disconnecting';

/** Connects the default Mongoose connection and makes sure every model's indexes exist. */
export async function connectDatabase(uri: string): Promise<typeof mongoose> {
  await mongoose.connect(uri, { serverSelectionTimeoutMS: 10000, autoIndex: false });
  await Promise.all(Object.values(mongoose.models).map((model) => model.createIndexes()));
  return mongoose;
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

export function databaseState(): DbState {
  const states: Record<number, DbState> = { 0: 'disconnected', 1: 'connected', 2: 'connecting', 3: 'disconnecting' };
  return states[mongoose.connection.readyState] ?? 'disconnected';
}
