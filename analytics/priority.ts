/**
 * Borda count (J.-C. de Borda 1781; see Saari 2001, "Chaotic Elections!") for one topic of a
 * ranking question with N places: a 1st place earns N points, 2nd N − 1, down to 1 point for
 * the Nth place; a respondent who did not rank the topic gives it 0.
 *
 * `placeCounts[i]` is how many respondents put the topic in place i + 1, so the number of places
 * is `placeCounts.length`. Counts may be fractional (weighted respondents).
 */
export function bordaPoints(placeCounts: readonly number[]): number {
  const places = placeCounts.length;
  return placeCounts.reduce((sum, count, i) => {
    if (!Number.isFinite(count) || count < 0) throw new RangeError(`place count ${i + 1} must be a non-negative number, got ${count}`);
    return sum + count * (places - i);
  }, 0);
}

/**
 * Priority: Borda points as a share of the most a topic could get, which is every respondent
 * ranking it first (respondents × places). 0 when there are no respondents or no places, so a
 * survey without a ranking question gives every topic priority 0.
 */
export function priorityShare(points: number, respondents: number, places: number): number {
  const maximum = respondents * places;
  if (!(maximum > 0)) return 0;
  return Math.min(1, Math.max(0, points / maximum));
}
