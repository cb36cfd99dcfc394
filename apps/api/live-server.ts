import { readFile } from 'node:fs/promises'
import websocket from '@fastify/websocket'
import Fastify from 'fastify'
import { serveLive } from './live-routes.ts'

/**
 * The API's live part on its own, for `pnpm bench`: the page and feed of apps/api, following whichever
 * processor the benchmark started last (the harness writes its URL to `targetFile`,
 * harness/live-target.ts). It needs no database, so it runs before any environment exists.
 */
export async function startLiveServer(targetFile: string, port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false })
  await app.register(websocket)
  const target = async () => (await readFile(targetFile, 'utf8').catch(() => '')).trim() || undefined
  serveLive(app, { target })
  const address = await app.listen({ port, host: '127.0.0.1' })
  return { url: address, close: () => app.close() }
}
