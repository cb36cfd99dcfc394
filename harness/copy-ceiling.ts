import { createMarketSource } from '../apps/generator/market-source.ts'
import { createPool, createWriter } from '../apps/processor/writers.ts'

/**
 * How fast this database takes market events through the processor's own optimized writer, with no HTTP,
 * no JSON and no generator in the way: the ceiling the pipeline's rate is compared with.
 */
export async function measureCopyCeiling(databaseUrl: string, options: { events: number; batchSize: number; connections: number }) {
  const next = createMarketSource('copy-ceiling', 7)
  const batches = Array.from({ length: Math.ceil(options.events / options.batchSize) }, (_, b) =>
    Array.from({ length: Math.min(options.batchSize, options.events - b * options.batchSize) }, () => next(Date.now())),
  )
  const pool = createPool(databaseUrl, options.connections)
  try {
    const write = createWriter('optimized', pool)
    const started = performance.now()
    let index = 0
    // As many writers as connections, as the processor runs them.
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (index < batches.length) await write(batches[index++] ?? [])
      }),
    )
    return { eventsPerSecond: options.events / ((performance.now() - started) / 1000) }
  } finally {
    await pool.end()
  }
}
