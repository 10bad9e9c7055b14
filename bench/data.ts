// Fills a benchmark database with N generated responses through the same inserter as
// `npm run seed:demo` (seedDemoSurvey: unordered bulk inserts).
import mongoose from 'mongoose';
import { connectDatabase, disconnectDatabase } from '../server/db/connection.js';
import { DEMO_SLUG, seedDemoSurvey } from '../surveys/demo.service.js';
import { sizeLabel } from './lib/args.js';
import { now } from './lib/measure.js';

export const BENCH_SLUG = DEMO_SLUG;
/** Fixed, so every run stores the same responses. */
const END = new Date('2026-06-01T00:00:00Z');

export interface FillResult {
  size: number;
  /** True when the database already held this data (`--reuse`) and nothing was inserted. */
  reused: boolean;
  insertMs: number;
  rebuildMs: number;
  /** Responses inserted per second (the insert phase only). */
  perSecond: number;
}

export async function fillDatabase(uri: string, size: number, reuse: boolean, log: (msg: string) => void): Promise<FillResult> {
  await connectDatabase(uri);
  try {
    if (reuse) {
      // A mark the fill leaves, not countDocuments: FerretDB counts by reading every document.
      if ((await mongoose.connection.db!.collection<{ _id: string; size: number }>('bench_fills').findOne({ _id: BENCH_SLUG }))?.size === size) {
        log(`  ${sizeLabel(size)}: reusing the ${size} responses already stored`);
        return { size, reused: true, insertMs: NaN, rebuildMs: NaN, perSecond: NaN };
      }
    }
    const started = now();
    let insertMs = 0;
    let lastLog = started;
    await seedDemoSurvey({
      slug: BENCH_SLUG,
      count: size,
      seed: 7,
      days: 90,
      end: END,
      onProgress: (n) => {
        if (now() - lastLog < 15000) return;
        lastLog = now();
        log(`  ${sizeLabel(size)}: ${n} inserted (${Math.round(n / ((lastLog - started) / 1000))}/s)...`);
      },
      onInserted: () => {
        insertMs = now() - started;
        log(`  ${sizeLabel(size)}: all ${size} inserted in ${(insertMs / 1000).toFixed(1)} s`);
      },
    });
    const rebuildMs = now() - started - insertMs;
    await mongoose.connection.db!.collection<{ _id: string; size: number }>('bench_fills').updateOne({ _id: BENCH_SLUG }, { $set: { size } }, { upsert: true });
    return { size, reused: false, insertMs, rebuildMs, perSecond: size / (insertMs / 1000) };
  } finally {
    await disconnectDatabase();
  }
}
