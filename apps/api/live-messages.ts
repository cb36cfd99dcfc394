/**
 * For tests: the first `count` messages a live feed (/api/v1/live) pushes at `intervalMs`, as a client
 * reads them over a real WebSocket.
 */
export async function liveMessages(apiUrl: string, count: number, intervalMs = 100): Promise<Record<string, unknown>[]> {
  const socket = new WebSocket(`${apiUrl.replace('http', 'ws')}/api/v1/live?intervalMs=${intervalMs}`)
  const messages: Record<string, unknown>[] = []
  try {
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('message', (event) => {
        messages.push(JSON.parse(String(event.data)))
        if (messages.length === count) resolve()
      })
      socket.addEventListener('error', () => reject(new Error('WebSocket error')))
    })
  } finally {
    socket.close()
  }
  return messages
}
