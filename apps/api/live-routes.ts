import type { FastifyInstance } from 'fastify'
import type { Gauge } from 'prom-client'
import { LiveFeed, type LiveTarget } from './live-feed.ts'
import { livePageHtml } from './live-page.ts'

export const LIVE_INTERVAL = { min: 100, max: 1000, default: 500 }

export interface LiveOptions {
  /** Where the processor is; without one the feed says there is nothing live to show and closes. */
  target?: LiveTarget
  /** Counts open feeds (the API's api_live_clients). */
  clients?: Gauge
}

/**
 * The live observatory: `/api/v1/live` pushes the processor's figures over WebSocket at the asked interval,
 * and `/live` is a page that charts them (apps/api/live-page.ts). The app must have @fastify/websocket.
 */
export function serveLive(app: FastifyInstance, { target, clients }: LiveOptions): void {
  app.get('/live', async (_request, reply) => reply.type('text/html; charset=utf-8').send(livePageHtml(LIVE_INTERVAL.default)))
  app.get<{ Querystring: { intervalMs: number } }>(
    '/api/v1/live',
    {
      websocket: true,
      schema: {
        querystring: {
          type: 'object',
          properties: {
            intervalMs: { type: 'integer', minimum: LIVE_INTERVAL.min, maximum: LIVE_INTERVAL.max, default: LIVE_INTERVAL.default },
          },
        },
      },
    },
    (socket, request) => {
      if (!target) {
        socket.send(JSON.stringify({ error: 'this API was started without --processor-url; there is nothing live to show' }))
        socket.close(1011, 'no processor')
        return
      }
      const feed = new LiveFeed(target)
      clients?.inc()
      // One read at a time: a processor slow to answer /metrics must not pile reads up.
      let reading = false
      const timer = setInterval(async () => {
        if (reading) return
        reading = true
        const message = await feed.next()
        reading = false
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message))
      }, request.query.intervalMs)
      socket.on('close', () => {
        clearInterval(timer)
        clients?.dec()
      })
    },
  )
}
