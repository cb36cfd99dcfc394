import { createInterface } from 'node:readline'
import { announce, onShutdownRequest } from '../shared/lifecycle.ts'
import { closeCurrentLoad, runLoad } from './load-run.ts'
import { type Command, commandOf, USAGE } from './settings.ts'

// One load from the command line, or (--serve) one load per line of stdin, in order, each a JSON array of
// flags. A bad command line or line is a usage error: the message, the usage, exit code 2.
const command = parse(process.argv.slice(2))
if ('help' in command) {
  console.log(USAGE)
  process.exit(0)
}
onShutdownRequest(closeCurrentLoad)
if ('load' in command) {
  announce({ event: 'summary', ...(await runLoad(command.load)) })
} else {
  // stdin's end is the parent's request to stop (apps/shared/lifecycle.ts): lines are served until then.
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue
    let args: unknown
    try {
      args = JSON.parse(line)
    } catch (error) {
      fail(`--serve reads one JSON array of flags per line: ${(error as Error).message}`)
    }
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string'))
      fail(`--serve reads one JSON array of flags per line, got ${line.slice(0, 200)}`)
    const next = parse(args)
    if (!('load' in next)) fail(`--serve runs loads; a line cannot ask for ${Object.keys(next)[0]}`)
    announce({ event: 'summary', ...(await runLoad(next.load)) })
  }
}

function parse(args: string[]): Command {
  try {
    return commandOf(args)
  } catch (error) {
    fail((error as Error).message)
  }
}

function fail(message: string): never {
  console.error(`generator: ${message}\n${USAGE}`)
  process.exit(2)
}
