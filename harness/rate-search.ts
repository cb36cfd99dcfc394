/** Whether a rate, offered for one step of the search, was sustained. */
export type HoldsRate = (rate: number) => Promise<boolean>

export interface RateSearch {
  /** The rates offered in turn until one is not sustained. */
  steps: number[]
  /** The search stops when the failing rate is within this share above the held one. */
  resolution: number
  /** When even the first step fails, halvings of it tried before giving up (the answer is then 0). */
  maxHalvings: number
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
  for (const rate of search.steps) {
    if (!(await holds(rate))) {
      failed = rate
      break
    }
    held = rate
  }
  if (!Number.isFinite(failed)) return held // the last step held: the search did not reach the ceiling
  for (let halvings = 0; held === 0 && halvings < search.maxHalvings; halvings++) {
    const lower = failed / 2
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
