/** Whether a rate, offered for one step of the search, was sustained. */
export type HoldsRate = (rate: number) => Promise<boolean>

export interface RateSearch {
  /** The rates offered in turn until one is not sustained. */
  steps: number[]
  /** The search stops when the failing rate is within this share above the held one. */
  resolution: number
  /**
   * When even the first step fails, halvings of it tried before giving up (the answer is then 0); from an
   * expected rate, twice as many steps down by CLIMB^2.
   */
  maxHalvings: number
  /**
   * A rate expected near the answer (what this testbed's baseline holds). The steps then start just below it
   * and climb by CLIMB, up to the last of `steps`: about 6 steps instead of 11 from the bottom of the
   * ladder, and a capacity suite run 30 s shorter. A machine of another speed only costs a few steps more.
   */
  expected?: number
}

/** Where a search from an expected rate starts, as a share of it, and the factor it climbs by. */
export const EXPECTED_START = 0.9
export const CLIMB = 1.15

/** The rates offered in turn: from just below the expected rate when there is one, else the given steps. */
export function ladderOf(search: RateSearch): number[] {
  const top = Math.max(...search.steps)
  if (search.expected === undefined || !(search.expected > 0)) return search.steps
  const ladder = [Math.round(Math.min(search.expected * EXPECTED_START, top))]
  while ((ladder.at(-1) as number) < top) ladder.push(Math.round(Math.min((ladder.at(-1) as number) * CLIMB, top)))
  return ladder
}

/**
 * The maximum sustainable rate: each step in turn until one is not sustained, then bisection (geometric)
 * between the last rate that held and the first that did not, until they are within `resolution`. A rate
 * counts as not sustained only when it fails twice in a row: one step is a few seconds, and a pause of the
 * machine in it made a 50k events/s step fail with a p99 of 705 ms beside a back-to-back run that held
 * 70k, which halved the figure; one retry per failure costs a step and takes such pauses out.
 */
export async function searchSustainableRate(holdsOnce: HoldsRate, search: RateSearch): Promise<number> {
  const holds = async (rate: number) => (await holdsOnce(rate)) || (await holdsOnce(rate))
  let [held, failed] = [0, Number.POSITIVE_INFINITY]
  for (const rate of ladderOf(search)) {
    if (!(await holds(rate))) {
      failed = rate
      break
    }
    held = rate
  }
  if (!Number.isFinite(failed)) return held // the last step held: the search did not reach the ceiling
  // From an expected rate, a failing start is usually near the answer: step down by CLIMB^2 (then bisect a
  // 1.3x bracket, 3 steps) rather than halve (a 2x bracket, 4 steps each of which may fail twice).
  const [down, descents] = search.expected ? [CLIMB ** 2, 2 * search.maxHalvings] : [2, search.maxHalvings]
  for (let halvings = 0; held === 0 && halvings < descents; halvings++) {
    const lower = Math.round(failed / down) // a whole number of events per second, as every other step
    if (await holds(lower)) held = lower
    else failed = lower
  }
  while (held > 0 && failed / held > 1 + search.resolution) {
    const middle = Math.round(Math.sqrt(held * failed))
    if (await holds(middle)) held = middle
    else failed = middle
  }
  return held
}
