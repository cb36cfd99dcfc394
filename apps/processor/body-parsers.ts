import type { FastifyInstance } from 'fastify'

/** A request body we cannot read; the server answers 400 with `message` (and `line` for NDJSON). */
export class BodyError extends Error {
  readonly statusCode = 400
  readonly line: number | undefined
  constructor(message: string, line?: number) {
    super(message)
    this.name = 'BodyError'
    this.line = line
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Ingest bodies: `application/json` ({"events": [...]}) and `application/x-ndjson` (one event per line,
 * turned into the same shape). Both refuse invalid UTF-8 instead of letting it become U+FFFD, which would
 * silently store text the client never sent.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJson(decode(body as Buffer)))
    } catch (error) {
      done(error as Error, undefined)
    }
  })
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      const lines = decode(body as Buffer).split('\n')
      const events: unknown[] = []
      lines.forEach((text, i) => {
        if (text.trim() !== '') events.push(parseJson(text, i + 1))
      })
      done(null, { events })
    } catch (error) {
      done(error as Error, undefined)
    }
  })
}

function decode(body: Buffer): string {
  try {
    return utf8.decode(body)
  } catch {
    throw new BodyError('The body is not valid UTF-8.')
  }
}

function parseJson(text: string, line?: number): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const where = line === undefined ? '' : `line ${line}: `
    throw new BodyError(`${where}malformed JSON: ${(error as Error).message}`, line)
  }
}
