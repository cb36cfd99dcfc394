import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from 'vitest'
import { runGenerator } from '../../harness/apps.ts'

// A real HTTP server that refuses every other request at once (503, Retry-After 0) and accepts the rest
// after 30 ms: the ingest latency must be that of accepted requests only, and the refusals counted apart.
// Before, the instant 503s were half the samples and pulled the ingest p50 to about 0.
test('refused requests are counted apart and do not lower the ingest latency', { timeout: 60_000 }, async () => {
  let requests = 0
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      if (requests++ % 2 === 0) {
        response.writeHead(503, { 'retry-after': '0' }).end('{"error":"queue full"}')
        return
      }
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":1}'), 30)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = server.address() as AddressInfo
    const load = await runGenerator({
      target: `http://127.0.0.1:${port}`,
      ratePerSecond: 200,
      durationSeconds: 2,
      batchSize: 20,
      source: 'refusals',
    })
    expect(load.acked).toBe(load.generated)
    // Every request is refused once, then accepted: as many refusals as accepted requests.
    expect(load.ingestLatency.count).toBeGreaterThan(0)
    expect(Math.abs(load.refused - load.ingestLatency.count)).toBeLessThanOrEqual(1)
    expect(load.ingestLatency.p50Us).toBeGreaterThan(25_000)
  } finally {
    server.close()
  }
})
