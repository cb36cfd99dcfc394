import { request } from 'node:http'
import { expect } from 'vitest'
import type { StartedApp } from '../../harness/environment.ts'
import { describeEachImplementation, test } from '../../harness/fixtures.ts'
import type { Implementation } from '../../harness/implementations.ts'
import { queryRows } from '../../harness/sql.ts'
import { MAX_EVENTS_PER_BATCH } from './events.ts'

// Every kind of bad input against the real processor: a 4xx with a JSON error that says what is wrong,
// nothing of the batch written, and the service still serving afterwards.
const event = (seq: number, source: string) => ({ kind: 'market', source, seq, ts: Date.now(), symbol: 'ACME', price: 100, volume: 1 })
const json = JSON.stringify
const BODY_LIMIT = 2 * 1024 * 1024
/**
 * POST that resolves on the response even when the server answers before reading the whole body (413):
 * it then closes, and fetch fails the still-writing request with EPIPE instead of returning the answer.
 */
function post(url: string, type: string, body: string): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': type } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text }))
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error)
    })
    req.end(body)
  })
}
/** One processor per implementation with a small body limit serves every case. */
const limited = new Map<Implementation, Promise<StartedApp>>()

const CASES = [
  {
    name: 'malformed JSON',
    type: 'application/json',
    body: (s: string) => `{"events": [${json(event(0, s))}`,
    status: 400,
    says: 'malformed JSON',
  },
  {
    name: 'a wrong type',
    type: 'application/json',
    body: (s: string) => json({ events: [{ ...event(0, s), volume: '1' }] }),
    status: 400,
    says: '/events/0/volume: must be integer',
  },
  {
    name: 'a missing field',
    type: 'application/json',
    body: (s: string) => json({ events: [{ ...event(0, s), price: undefined }] }),
    status: 400,
    says: "must have required property 'price'",
  },
  {
    name: 'an unknown event type',
    type: 'application/json',
    body: (s: string) => json({ events: [{ ...event(0, s), kind: 'weather' }] }),
    status: 400,
    says: '/events/0/kind',
  },
  {
    name: 'NaN',
    type: 'application/json',
    body: (s: string) => json({ events: [event(0, s)] }).replace('"price":100', '"price":NaN'),
    status: 400,
    says: 'malformed JSON',
  },
  {
    name: 'Infinity',
    type: 'application/json',
    body: (s: string) => json({ events: [event(0, s)] }).replace('"price":100', '"price":1e999'),
    status: 400,
    says: '/events/0/price: must be number',
  },
  {
    name: 'an oversize event',
    type: 'application/json',
    body: (s: string) => json({ events: [{ ...event(0, s), source: `${s}${'x'.repeat(200)}` }] }),
    status: 400,
    says: '/events/0/source: must NOT have more than 128 characters',
  },
  {
    name: 'an oversize body',
    type: 'application/json',
    body: (s: string) => json({ events: [event(0, s)], pad: 'x'.repeat(BODY_LIMIT) }),
    status: 413,
    says: 'Request body is too large',
  },
  {
    name: 'too many events',
    type: 'application/json',
    body: (s: string) =>
      json({
        events: Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, (_, i) => ({
          kind: 'market',
          source: s,
          seq: i,
          ts: 1,
          symbol: 'A',
          price: 1,
          volume: 1,
        })),
      }),
    status: 413,
    says: 'must NOT have more than',
  },
  { name: 'a wrong content type', type: 'text/csv', body: (s: string) => `${s},0,ACME`, status: 415, says: 'Send application/json' },
  {
    name: 'a bad NDJSON line',
    type: 'application/x-ndjson',
    body: (s: string) => `${json(event(0, s))}\n{"kind":\n${json(event(2, s))}\n`,
    status: 400,
    says: 'line 2: malformed JSON',
  },
] as const

describeEachImplementation('bad input', { timeout: 60_000 }, (implementation) => {
  test.for(CASES)('$name gets $status and writes nothing', async ({ type, body, status, says }, { startProcessor, postgres }) => {
    if (!limited.has(implementation)) limited.set(implementation, startProcessor({ args: [`--body-limit-bytes=${BODY_LIMIT}`] }))
    const processor = await (limited.get(implementation) as Promise<StartedApp>)
    const source = `bad-${Math.random().toString(36).slice(2)}`
    const response = await post(`${processor.url}/ingest`, type, body(source))
    expect(response.status).toBe(status)
    expect(response.type).toMatch(/^application\/json/)
    expect(JSON.stringify(JSON.parse(response.text))).toContain(says)
    const [row] = await queryRows<{ n: string }>(postgres.url, 'SELECT count(*) AS n FROM market_events WHERE source LIKE $1', [
      `${source}%`,
    ])
    expect(Number(row?.n)).toBe(0)
    const after = await fetch(`${processor.url}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json({ events: [event(0, `${source}-after`)] }),
    })
    expect(after.status).toBe(200)
  })

  test('invalid UTF-8 is refused, not stored as replacement characters', async ({ processor, postgres }) => {
    const text = Buffer.from(json({ events: [event(0, `utf8-${implementation}-XX`)] }))
    const at = text.indexOf('XX')
    text[at] = 0xc3 // a lead byte followed by an ASCII byte: not UTF-8
    const response = await fetch(`${processor.url}/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ message: 'The body is not valid UTF-8.' })
    const [row] = await queryRows<{ n: string }>(postgres.url, "SELECT count(*) AS n FROM market_events WHERE source LIKE 'utf8-%'")
    expect(Number(row?.n)).toBe(0)
  })

  test('NDJSON with valid lines is accepted like a JSON batch', async ({ processor, postgres }) => {
    const body = `${json(event(0, `ndjson-${implementation}`))}\n${json(event(1, `ndjson-${implementation}`))}\n`
    const response = await fetch(`${processor.url}/ingest`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body })
    expect(await response.json()).toEqual({ accepted: 2, stored: 2 })
    const [row] = await queryRows<{ n: string }>(postgres.url, 'SELECT count(*) AS n FROM market_events WHERE source = $1', [
      `ndjson-${implementation}`,
    ])
    expect(Number(row?.n)).toBe(2)
  })
})
