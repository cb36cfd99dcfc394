import type { Dispatcher } from 'undici'

export interface PostAnswer {
  statusCode: number
  /** The Retry-After header in seconds, when the server sent one as a number. */
  retryAfterS: number | undefined
  text: string
}

const HEADERS = { 'content-type': 'application/json' }

/**
 * POST a JSON body and read the whole answer, through undici's dispatch API: 40-60 µs of CPU a request
 * here against 70-110 µs for `request()`, whose answer is a stream (the generator sends 500 requests a
 * second at 100k events/s).
 */
export function postJson(dispatcher: Dispatcher, path: string, body: string): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    let statusCode = 0
    let retryAfterS: number | undefined
    const chunks: Buffer[] = []
    dispatcher.dispatch(
      { path, method: 'POST', headers: HEADERS, body },
      {
        onRequestStart() {}, // required by undici, nothing to do
        onResponseStart(_controller, status, headers) {
          statusCode = status
          const retryAfter = Number(headers['retry-after'])
          retryAfterS = Number.isFinite(retryAfter) ? retryAfter : undefined
        },
        onResponseData(_controller, chunk) {
          chunks.push(chunk)
        },
        onResponseEnd() {
          resolve({ statusCode, retryAfterS, text: Buffer.concat(chunks).toString('utf8') })
        },
        onResponseError(_controller, error) {
          reject(error)
        },
      },
    )
  })
}
