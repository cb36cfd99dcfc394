/**
 * Groups the events of many ingest requests into few database commits. A request's promise settles only
 * after the commit that holds its events: that is the at-least-once contract (ack after commit). The queue
 * is bounded: past `maxQueuedItems` a submit fails fast with QueueFullError and the server answers 503.
 */
export interface CommitBatcherOptions<T> {
  /** Flush as soon as this many items wait. */
  maxBatchItems: number
  /** Or when the oldest waiting item has waited this long. */
  lingerMs: number
  /** Waiting plus committing items; beyond it submits are refused. */
  maxQueuedItems: number
  maxConcurrentCommits: number
  commit: (items: T[]) => Promise<void>
}

export class QueueFullError extends Error {
  constructor(queued: number, limit: number) {
    super(`The processor queue holds ${queued} events, its limit is ${limit}; retry later.`)
    this.name = 'QueueFullError'
  }
}

interface Waiting<T> {
  items: T[]
  resolve: () => void
  reject: (error: unknown) => void
}

export class CommitBatcher<T> {
  readonly #options: CommitBatcherOptions<T>
  #waiting: Waiting<T>[] = []
  #waitingItems = 0
  #committingItems = 0
  #commits = 0
  #timer: NodeJS.Timeout | undefined
  #idle: (() => void)[] = []

  constructor(options: CommitBatcherOptions<T>) {
    this.#options = options
  }

  /** Items accepted but not yet committed. */
  get queuedItems(): number {
    return this.#waitingItems + this.#committingItems
  }

  submit(items: T[]): Promise<void> {
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
    const taken: Waiting<T>[] = []
    let count = 0
    // Requests are never split, so one request is committed (and acknowledged) whole.
    while (this.#waiting.length > 0 && count < this.#options.maxBatchItems) {
      const next = this.#waiting.shift() as Waiting<T>
      taken.push(next)
      count += next.items.length
    }
    this.#waitingItems -= count
    this.#committingItems += count
    this.#commits++
    const items = taken.length === 1 ? (taken[0] as Waiting<T>).items : taken.flatMap((w) => w.items)
    this.#options.commit(items).then(
      () => this.#settle(taken, count, undefined),
      (error: unknown) => this.#settle(taken, count, error ?? new Error('commit failed')),
    )
  }

  #settle(taken: Waiting<T>[], count: number, error: unknown): void {
    this.#commits--
    this.#committingItems -= count
    for (const w of taken) error === undefined ? w.resolve() : w.reject(error)
    // Whatever arrived while we were committing has waited long enough: send it now.
    if (this.#waiting.length > 0) this.#flush()
    if (this.queuedItems === 0) for (const resolve of this.#idle.splice(0)) resolve()
  }
}
