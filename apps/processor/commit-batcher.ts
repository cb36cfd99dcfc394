/**
 * Groups the events of many ingest requests into few database commits. A request's promise settles only
 * after the commit that holds its events, with what that commit returned: that is the at-least-once
 * contract (ack after commit). The queue is bounded: past `maxQueuedItems` a submit fails fast with
 * QueueFullError and the server answers 503.
 */
export interface CommitBatcherOptions<T, R> {
  /** Flush as soon as this many items wait. */
  maxBatchItems: number
  /** Or when the oldest waiting item has waited this long. */
  lingerMs: number
  /** Waiting plus committing items; beyond it submits are refused. */
  maxQueuedItems: number
  maxConcurrentCommits: number
  commit: (items: T[]) => Promise<R>
  /**
   * Whether a commit that failed with this error may succeed for some of its requests: then the requests
   * are committed again in halves, down to one, so only the request that holds the bad data fails and
   * every other is committed and acknowledged. For errors about the data, not about the database being
   * gone (retrying that would only multiply the load on it). Default: never.
   */
  isolate?: (error: unknown) => boolean
}

export class QueueFullError extends Error {
  constructor(queued: number, limit: number) {
    super(`The processor queue holds ${queued} events, its limit is ${limit}; retry later.`)
    this.name = 'QueueFullError'
  }
}

interface Waiting<T, R> {
  items: T[]
  resolve: (result: R) => void
  reject: (error: unknown) => void
}

type Outcome<R> = { ok: true; result: R } | { ok: false; error: unknown }

export class CommitBatcher<T, R = void> {
  readonly #options: CommitBatcherOptions<T, R>
  #waiting: Waiting<T, R>[] = []
  #waitingItems = 0
  #committingItems = 0
  #commits = 0
  #timer: NodeJS.Timeout | undefined
  #idle: (() => void)[] = []

  constructor(options: CommitBatcherOptions<T, R>) {
    this.#options = options
  }

  /** Items accepted but not yet committed. */
  get queuedItems(): number {
    return this.#waitingItems + this.#committingItems
  }

  submit(items: T[]): Promise<R> {
    const queued = this.queuedItems
    if (queued + items.length > this.#options.maxQueuedItems) {
      return Promise.reject(new QueueFullError(queued, this.#options.maxQueuedItems))
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push({ items, resolve, reject })
      this.#waitingItems += items.length
      if (this.#waitingItems >= this.#options.maxBatchItems) this.#flush()
      else this.#timer ??= setTimeout(() => this.#flush(), this.#options.lingerMs)
    })
  }

  /** Resolves once everything submitted so far is committed (or failed). */
  drain(): Promise<void> {
    if (this.queuedItems === 0) return Promise.resolve()
    this.#flush()
    return new Promise((resolve) => this.#idle.push(resolve))
  }

  #flush(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    while (this.#waiting.length > 0 && this.#commits < this.#options.maxConcurrentCommits) {
      this.#commitNext()
    }
  }

  #commitNext(): void {
    const taken: Waiting<T, R>[] = []
    let count = 0
    // Requests are never split, so one request is committed (and acknowledged) whole.
    while (this.#waiting.length > 0 && count < this.#options.maxBatchItems) {
      const next = this.#waiting.shift() as Waiting<T, R>
      taken.push(next)
      count += next.items.length
    }
    this.#waitingItems -= count
    this.#committingItems += count
    this.#commits++
    this.#commitGroup(taken).then((outcomes) => this.#settle(taken, count, outcomes))
  }

  /** Commits the group's requests together, isolating a bad request where allowed: each request's outcome. */
  async #commitGroup(group: Waiting<T, R>[]): Promise<Map<Waiting<T, R>, Outcome<R>>> {
    try {
      const result = await this.#options.commit(group.length === 1 ? (group[0] as Waiting<T, R>).items : group.flatMap((w) => w.items))
      return new Map(group.map((w) => [w, { ok: true, result }]))
    } catch (error) {
      if (group.length > 1 && this.#options.isolate?.(error)) {
        // A commit is one transaction: nothing of the failed one is stored, so its halves can go again.
        const half = Math.ceil(group.length / 2)
        const first = await this.#commitGroup(group.slice(0, half))
        return new Map([...first, ...(await this.#commitGroup(group.slice(half)))])
      }
      return new Map(group.map((w) => [w, { ok: false, error: error ?? new Error('commit failed') }]))
    }
  }

  #settle(taken: Waiting<T, R>[], count: number, outcomes: Map<Waiting<T, R>, Outcome<R>>): void {
    this.#commits--
    this.#committingItems -= count
    for (const w of taken) {
      const outcome = outcomes.get(w) as Outcome<R>
      outcome.ok ? w.resolve(outcome.result) : w.reject(outcome.error)
    }
    // Whatever arrived while we were committing has waited long enough: send it now.
    if (this.#waiting.length > 0) this.#flush()
    if (this.queuedItems === 0) for (const resolve of this.#idle.splice(0)) resolve()
  }
}
