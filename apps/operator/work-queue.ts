/**
 * The reconcile queue: a key is queued at most once however often its object changes (level-triggered:
 * reconcile reads the latest state anyway), never reconciled by two workers at once (a change during its
 * reconcile queues it again, after), at most `concurrency` keys at a time, and a failing key retried with
 * exponential backoff capped at `maxBackoffMs` until it succeeds. Hand-written: client-node has informers
 * but no work queue, and this is the few dozen lines client-go's workqueue is in spirit.
 */
export class WorkQueue {
  readonly #reconcile: (key: string) => Promise<void>
  readonly #concurrency: number
  readonly #baseBackoffMs: number
  readonly #maxBackoffMs: number
  readonly #queued: string[] = []
  readonly #dirty = new Set<string>()
  readonly #active = new Set<string>()
  readonly #failures = new Map<string, number>()
  readonly #timers = new Set<NodeJS.Timeout>()
  #stopped = false
  #idle: (() => void)[] = []

  constructor(
    reconcile: (key: string) => Promise<void>,
    options: { concurrency?: number; baseBackoffMs?: number; maxBackoffMs?: number } = {},
  ) {
    this.#reconcile = reconcile
    this.#concurrency = options.concurrency ?? 4
    this.#baseBackoffMs = options.baseBackoffMs ?? 100
    this.#maxBackoffMs = options.maxBackoffMs ?? 60_000
  }

  /** Keys waiting, for the queue-depth metric. */
  get depth(): number {
    return this.#queued.length
  }

  add(key: string): void {
    if (this.#stopped || this.#dirty.has(key)) return
    this.#dirty.add(key)
    // A key being reconciled is queued again only when its worker finishes.
    if (!this.#active.has(key)) this.#queued.push(key)
    this.#pump()
  }

  /** Resolves when nothing is queued, running or waiting out a backoff. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve()
    return new Promise((resolve) => this.#idle.push(resolve))
  }

  stop(): void {
    this.#stopped = true
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
  }

  #pump(): void {
    while (!this.#stopped && this.#active.size < this.#concurrency && this.#queued.length > 0) {
      const key = this.#queued.shift() as string
      this.#dirty.delete(key)
      this.#active.add(key)
      void this.#run(key)
    }
    if (this.#isIdle()) for (const resolve of this.#idle.splice(0)) resolve()
  }

  async #run(key: string): Promise<void> {
    try {
      await this.#reconcile(key)
      this.#failures.delete(key)
    } catch {
      const failures = (this.#failures.get(key) ?? 0) + 1
      this.#failures.set(key, failures)
      const delay = Math.min(this.#maxBackoffMs, this.#baseBackoffMs * 2 ** (failures - 1))
      const timer = setTimeout(() => {
        this.#timers.delete(timer)
        this.add(key)
      }, delay)
      this.#timers.add(timer)
    } finally {
      this.#active.delete(key)
      if (this.#dirty.has(key)) this.#queued.push(key)
      this.#pump()
    }
  }

  #isIdle(): boolean {
    return this.#queued.length === 0 && this.#active.size === 0 && this.#timers.size === 0
  }
}
