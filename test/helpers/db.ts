import mongoose from 'mongoose';

/** Empties every collection (indexes stay), so each test starts from a known state. */
export async function clearDatabase(): Promise<void> {
  await Promise.all(Object.values(mongoose.models).map((model) => model.deleteMany({})));
}
