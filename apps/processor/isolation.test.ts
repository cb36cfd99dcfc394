import { expect } from 'vitest'
import { runGenerator } from '../../harness/apps.ts'
import { describeEachImplementation, test } from '../../harness/fixtures.ts'
import { queryRows } from '../../harness/sql.ts'

// One producer whose data PostgreSQL refuses must not fail the others that share its commits. The refusal
// is the database's own: a CHECK constraint added to the real table (as a DBA might), which validation
// cannot know about. Before isolation, 20 of 40 concurrent valid batches failed with 500 in each round.
const refusePoison = (url: string) =>
  queryRows(
    url,
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'refuses_poison') THEN
         ALTER TABLE market_events ADD CONSTRAINT refuses_poison CHECK (symbol <> 'POISON');
       END IF;
     END $$`,
  )
const market = (source: string, seq: number, symbol = 'ACME') => ({
  kind: 'market',
  source,
  seq,
  ts: Date.now(),
  symbol,
  price: 1,
  volume: 1,
})
const batch = (source: string, size: number, poisonAt = -1) => ({
  events: Array.from({ length: size }, (_, i) => market(source, i, i === poisonAt ? 'POISON' : 'ACME')),
})
const post = (url: string, body: unknown) =>
  fetch(`${url}/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const stored = async (url: string, pattern: string) =>
  Number((await queryRows<{ n: string }>(url, 'SELECT count(*) AS n FROM market_events WHERE source LIKE $1', [pattern]))[0]?.n)

describeEachImplementation('a poison request among valid ones', { timeout: 120_000 }, (implementation) => {
  // Both implementations write to the file's one database: each keeps to its own sources.
  const own = (source: string) => `${implementation}-${source}`
  test('40 concurrent valid batches and one the database refuses: 40 committed, the one 422 naming its event', async ({
    processor,
    postgres,
  }) => {
    await refusePoison(postgres.url)
    for (const round of [1, 2]) {
      const valid = Array.from({ length: 40 }, (_, i) => post(processor.url, batch(own(`valid-${round}-${i}`), 100)))
      const poison = post(processor.url, batch(own(`poison-${round}`), 100, 37))
      const answers = await Promise.all([...valid, poison])
      expect(answers.slice(0, 40).map((r) => r.status)).toEqual(Array(40).fill(200))
      const refused = answers[40]
      expect(refused?.status).toBe(422)
      expect(await refused?.json()).toMatchObject({ path: '/events/37', message: expect.stringContaining('refuses_poison') })
      expect(await stored(postgres.url, own(`valid-${round}-%`))).toBe(4000)
      expect(await stored(postgres.url, own(`poison-${round}`))).toBe(0)
    }
  })

  test('under a steady load, a producer sending refused batches costs the others no failed or retried request', async ({
    processor,
    postgres,
  }) => {
    await refusePoison(postgres.url)
    let poisonSent = 0
    const poisonAnswers: number[] = []
    const load = runGenerator({ target: processor.url, ratePerSecond: 5000, durationSeconds: 5, batchSize: 100, source: own('steady') })
    const started = Date.now()
    while (Date.now() - started < 5000) {
      poisonAnswers.push((await post(processor.url, batch(own(`poison-load-${poisonSent++}`), 50, 10))).status)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const summary = await load
    expect(new Set(poisonAnswers)).toEqual(new Set([422]))
    expect(poisonAnswers.length).toBeGreaterThan(50)
    expect({ failed: summary.failed, retries: summary.retries, errors: summary.errors }).toEqual({ failed: 0, retries: 0, errors: [] })
    expect(await stored(postgres.url, own('steady'))).toBe(summary.generated)
    expect(await stored(postgres.url, own('poison-load-%'))).toBe(0)
  })
})
