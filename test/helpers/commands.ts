import type { CommandStartedEvent, Document } from 'mongodb';
import mongoose from 'mongoose';
import { connectDatabase } from '../../server/db/connection.js';
import { testDatabase } from './root-hooks.js';

/** A command the database was asked, with the filter it carried. */
export interface SeenCommand {
  collection: string;
  command: string;
  filter: Document;
}

/**
 * Mocha hooks around a describe block: the app's connection is opened again with command
 * monitoring on, and each find, count, delete, update, aggregate or findAndModify sent to a
 * collection `watched` accepts is recorded (with its filter) in the returned list; afterwards the
 * connection is opened as before.
 */
export function watchCommands(watched: (collection: string) => boolean): SeenCommand[] {
  const seen: SeenCommand[] = [];
  const watch = (e: CommandStartedEvent): void => {
    const c = e.command;
    const collection = String(c[e.commandName] ?? '');
    if (!watched(collection)) return;
    if (e.commandName === 'find' || e.commandName === 'count') seen.push({ collection, command: e.commandName, filter: (c.filter ?? c.query ?? {}) as Document });
    else if (e.commandName === 'delete' || e.commandName === 'update') for (const s of c[`${e.commandName}s`] as { q: Document }[]) seen.push({ collection, command: e.commandName, filter: s.q });
    else if (e.commandName === 'aggregate' || e.commandName === 'findAndModify') seen.push({ collection, command: e.commandName, filter: (c.query ?? { pipeline: c.pipeline }) as Document });
  };
  before(async () => {
    await mongoose.disconnect();
    await mongoose.connect(testDatabase.uri, { serverSelectionTimeoutMS: 3000, autoIndex: false, monitorCommands: true });
    mongoose.connection.getClient().on('commandStarted', watch);
  });
  after(async () => {
    mongoose.connection.getClient().off('commandStarted', watch);
    await mongoose.disconnect();
    await connectDatabase(testDatabase.uri);
  });
  return seen;
}
