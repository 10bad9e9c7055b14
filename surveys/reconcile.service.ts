import type { SurveyDefinition } from './definition.schema.js';
import { ResponseModel } from './response.model.js';
import { SurveyModel } from './survey.model.js';
import { countedTotal, rebuildTallies, segmentsCover, talliesSettled, tallyUpdatesTaken } from './tally.service.js';

/**
 * Tallies never drift for long. A response is counted only after it is stored; if the counter
 * update then fails (the database went away between the two), the survey is marked dirty and
 * rebuilt from its responses as soon as the database answers again. A periodic sweep also
 * compares each survey's counted total with its stored responses and rebuilds on a mismatch.
 */
const dirty = new Set<string>();

export function markTalliesDirty(slug: string): void {
  dirty.add(slug);
}

export function dirtySurveys(): string[] {
  return [...dirty];
}

export interface ReconcileResult {
  checked: number;
  rebuilt: string[];
}

async function rebuild(slug: string): Promise<boolean> {
  const survey = await SurveyModel.findOne({ slug }, { definition: 1 }).lean();
  if (!survey) return false;
  const before = tallyUpdatesTaken(slug);
  await rebuildTallies(slug, survey.definition as SurveyDefinition);
  // Answers counted while the rebuild ran may be in neither the responses it read nor the
  // counters it wrote: look again at the next dirty tick.
  if (tallyUpdatesTaken(slug) !== before) markTalliesDirty(slug);
  return true;
}

/** Rebuilds the surveys whose counters are known to be behind. */
export async function reconcileDirty(): Promise<string[]> {
  const rebuilt: string[] = [];
  for (const slug of [...dirty]) {
    dirty.delete(slug);
    try {
      if (await rebuild(slug)) rebuilt.push(slug);
    } catch (err) {
      dirty.add(slug);
      throw err;
    }
  }
  return rebuilt;
}

async function countsAgree(slug: string): Promise<boolean> {
  await talliesSettled(slug);
  const [stored, counted] = await Promise.all([ResponseModel.countDocuments({ surveySlug: slug }), countedTotal(slug)]);
  // A survey counted before segment counters existed has none: rebuilding adds them.
  return stored === counted && (await segmentsCover(slug));
}

/** Compares every survey's counted total with its stored responses (and checks its segments are complete); rebuilds where either fails. */
export async function reconcileAll(): Promise<ReconcileResult> {
  const rebuilt = await reconcileDirty();
  const surveys = await SurveyModel.find({}, { slug: 1 }).lean();
  for (const { slug } of surveys) {
    if (rebuilt.includes(slug)) continue;
    if (await countsAgree(slug)) continue;
    // Submissions keep arriving while this runs: look again once this instance's counts are
    // written before paying for a rebuild.
    await talliesSettled(slug);
    if (!(await countsAgree(slug))) {
      await rebuild(slug);
      rebuilt.push(slug);
    }
  }
  return { checked: surveys.length, rebuilt };
}

/** Runs reconciliation in the background: dirty surveys often, a full comparison now and then. */
export function startReconciler(options: { dirtyEveryMs: number; fullEveryMs: number; onError: (err: unknown) => void; onRebuilt: (slugs: string[]) => void }): () => void {
  let running = false;
  // The first tick compares everything: dirty marks kept in memory are lost if the app crashed.
  let lastFull = 0;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const full = Date.now() - lastFull >= options.fullEveryMs;
      const result = full ? (await reconcileAll()).rebuilt : await reconcileDirty();
      if (full) lastFull = Date.now();
      if (result.length) options.onRebuilt(result);
    } catch (err) {
      options.onError(err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.dirtyEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}
