// How an app talks to whoever started it: one JSON line per lifecycle event on stdout, and, when the
// harness asks for it, exit as soon as the parent is gone (its end of our stdin closes). That is the only
// signal that survives the parent being SIGKILLed, so it is what keeps a killed benchmark from leaking apps.

export type LifecycleEvent =
  | { event: 'listening'; port: number }
  | { event: 'ready'; [key: string]: unknown }
  | { event: 'summary'; [key: string]: unknown }
  | { event: 'progress'; [key: string]: unknown }

export const EXIT_WITH_PARENT_ENV = 'EXIT_WITH_PARENT'

export function announce(event: LifecycleEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`)
}

/**
 * A supervisor's one 'ready' line. Its fields are a type the supervisor exports and its starter reads back
 * with NodeChild.waitForReady<T>, so both ends of the line are checked against one declaration.
 */
export function announceReady<T extends object>(fields: T): void {
  announce({ event: 'ready', ...fields })
}

/** Runs `shutdown` once, on SIGTERM, SIGINT, or (when EXIT_WITH_PARENT=1) when our stdin closes. */
export function onShutdownRequest(shutdown: (reason: string) => Promise<void> | void): void {
  let started = false
  const run = (reason: string) => {
    if (started) return
    started = true
    Promise.resolve(shutdown(reason)).then(
      () => process.exit(process.exitCode ?? 0),
      (error: unknown) => {
        console.error(`shutdown after ${reason} failed:`, error)
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', () => run('SIGTERM'))
  process.once('SIGINT', () => run('SIGINT'))
  if (process.env[EXIT_WITH_PARENT_ENV] === '1') {
    process.stdin.on('end', () => run('parent exited'))
    process.stdin.on('error', () => run('parent exited'))
    process.stdin.resume()
  }
}
