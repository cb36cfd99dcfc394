import type { Environment, TestbedComparison } from '../model/results.ts'

/**
 * What makes a testbed besides its speed: the hardware, the OS and the profile. Software versions (Node,
 * PostgreSQL, Kubernetes) are what a benchmark may well be asked about, so they are notes, not a new testbed.
 */
const IDENTITY = ['profile', 'cpuModel', 'cores', 'os'] as const

/**
 * How far the calibration speeds of two runs may differ on one testbed. Between processes here it moves
 * 1-2%; a machine of the same kind and CPU name has run at 0.55x. Beyond 10% the figures measure the
 * machine, not the code.
 */
export const SAME_SPEED = 0.1

/** Whether a run is on its baseline's testbed, how much faster it is, and what differs. */
export function compareTestbeds(current: Environment, baseline: Environment): TestbedComparison {
  const differences: string[] = IDENTITY.filter((f) => current[f] !== baseline[f]).map(
    (f) => `${f} is ${current[f]}, the baseline's was ${baseline[f]}`,
  )
  if (Math.abs(current.memoryBytes - baseline.memoryBytes) > 0.05 * baseline.memoryBytes) {
    differences.push(`memory is ${gib(current.memoryBytes)}, the baseline's was ${gib(baseline.memoryBytes)}`)
  }
  const [now, then] = [current.calibration, baseline.calibration]
  const speed = now && then && now.version === then.version && then.opsPerSecond > 0 ? now.opsPerSecond / then.opsPerSecond : null
  if (speed === null)
    differences.push('the baseline records no calibration speed (recorded before testbeds; re-record it with pnpm bench:update)')
  else if (Math.abs(Math.log(speed)) > Math.log(1 + SAME_SPEED))
    differences.push(`this machine runs the calibration workload at ${speed.toFixed(2)}x the baseline's speed`)
  return {
    same: differences.length === 0,
    baseline: describeTestbed(baseline),
    speed,
    differences,
  }
}

/** `2 × AMD EPYC, 23.5 GiB, Linux 6.1 (local), calibration 25,081 ops/s`. */
export function describeTestbed(env: Environment): string {
  const speed = env.calibration ? `, calibration ${Math.round(env.calibration.opsPerSecond).toLocaleString('en-US')} ops/s` : ''
  return `${env.cores} × ${env.cpuModel}, ${gib(env.memoryBytes)}, ${env.os} (${env.profile})${speed}`
}

/** The headline's clause: `on another testbed than the baseline's (…): this machine is 1.82x slower`. */
export function testbedHeadline(comparison: TestbedComparison): string {
  const { speed } = comparison
  const pace =
    speed === null
      ? 'its speed relative to it is unknown'
      : speed >= 1
        ? `this machine is ${speed.toFixed(2)}x faster`
        : `this machine is ${(1 / speed).toFixed(2)}x slower`
  return comparison.same
    ? `on the baseline's testbed (${comparison.baseline})`
    : `on another testbed than the baseline's (${comparison.baseline}): ${pace}`
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`
