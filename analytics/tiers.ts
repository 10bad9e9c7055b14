/** A share's 95% interval, as ranked topics carry it. */
export interface TierInput {
  reachLow: number;
  reachHigh: number;
}

/**
 * Groups topics, given in descending order of reach, into tiers the survey can tell apart: the
 * first topic leads the first tier; each next topic joins the current tier while its reach
 * interval overlaps the tier leader's, and otherwise leads a new tier. Comparing with the leader
 * (not with the previous topic) keeps a chain of small steps from gluing the whole list into one
 * tier: the topics of one tier are all within reach of its leader. Like the "about equal" flag,
 * overlapping intervals are a conservative reading, not a significance test (Schenker &
 * Gentleman 2001).
 *
 * Returns 1-based tier numbers, one per topic, in the input order.
 */
export function reachTiers(topics: readonly TierInput[]): number[] {
  const tiers: number[] = [];
  let leader: TierInput | undefined;
  let tier = 0;
  for (const t of topics) {
    if (!leader || t.reachHigh < leader.reachLow || t.reachLow > leader.reachHigh) {
      leader = t;
      tier++;
    }
    tiers.push(tier);
  }
  return tiers;
}
