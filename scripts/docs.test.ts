import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import GithubSlugger from 'github-slugger'
import { marked, type Token, type Tokens } from 'marked'
import { describe, expect, test } from 'vitest'
import { PROFILE_NAMES } from '../harness/profiles.ts'

// The README and the docs are a newcomer's path: every command they give must exist as written (scripts,
// flags, profiles, files), and every link must lead somewhere.
const ROOT = join(import.meta.dirname, '..')
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`),
  ...readdirSync(join(ROOT, 'apps')).flatMap((app) => (existsSync(join(ROOT, 'apps', app, 'README.md')) ? [`apps/${app}/README.md`] : [])),
]
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
const SUITES = readdirSync(join(ROOT, 'suites')).map((f) => f.replace(/\.bench\.ts$/, ''))

/** Every token of a Markdown file, nested ones included. */
function tokensOf(file: string): Token[] {
  const all: Token[] = []
  marked.walkTokens(marked.lexer(readFileSync(join(ROOT, file), 'utf8')), (t) => {
    all.push(t)
  })
  return all
}

/** The commands a document gives: shell code blocks line by line, and inline code that starts like one. */
function commandsOf(file: string): string[] {
  const lines = tokensOf(file).flatMap((t) => {
    if (t.type === 'code' && ['sh', 'bash', ''].includes((t as Tokens.Code).lang ?? '')) return (t as Tokens.Code).text.split('\n')
    if (t.type === 'codespan') return [(t as Tokens.Codespan).text]
    return []
  })
  return lines
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .flatMap((line) => line.split(/\s*&&\s*/))
    .map((command) => command.replace(/^(\s*[A-Z_]+=\S*\s+)+/, '').replace(/^\.\s+/, 'source '))
    .filter((command) => /^(pnpm|node|bash|source) /.test(command))
}

/**
 * The flags a script's parseArgs declares, in it or in a module beside it that it imports (every CLI here
 * parses with node:util's parseArgs; the generator's live in settings.ts).
 */
function declaredFlags(script: string): Set<string> {
  const source = readFileSync(join(ROOT, script), 'utf8')
  const beside = [...source.matchAll(/from '\.\/([\w.-]+\.ts)'/g)].map((m) =>
    readFileSync(join(ROOT, dirname(script), m[1] as string), 'utf8'),
  )
  return new Set(
    [source, ...beside].flatMap((text) =>
      [...text.matchAll(/^\s*'?([a-z][a-z-]*)'?: \{ type: '(?:string|boolean)'/gm)].map((m) => `--${m[1]}`),
    ),
  )
}

/** What is wrong with one command, or nothing. */
function problemsOf(command: string, profiles: readonly string[]): string[] {
  const words = command.split(/\s+/).filter((w) => !/^['"]/.test(w))
  const [tool, first = '', ...rest] = words
  const flags = rest.filter((w) => w.startsWith('--')).map((w) => w.replace(/=.*/, ''))
  const problems: string[] = []
  const unknownFlags = (script: string) => {
    const known = declaredFlags(script)
    return flags.filter((f) => !known.has(f)).map((f) => `${script} has no flag ${f}`)
  }
  if (tool === 'pnpm') {
    if (['exec', 'install', 'add'].includes(first)) return []
    if (!(first in PACKAGE.scripts)) return [`package.json has no script '${first}'`]
    if (first.startsWith('bench')) {
      problems.push(...unknownFlags('scripts/bench.ts'))
      const profile = rest[rest.indexOf('--profile') + 1]
      if (rest.includes('--profile') && profile !== 'NAME' && !profiles.includes(profile ?? ''))
        problems.push(`no profile '${profile}' (${profiles.join(', ')})`)
      // The words before the first flag are suite filters (placeholders such as <name> or [FILTER...] aside).
      const firstFlag = rest.findIndex((w) => w.startsWith('-'))
      const filters = firstFlag === -1 ? rest : rest.slice(0, firstFlag)
      for (const f of filters) if (!/^[[<A-Z]/.test(f) && !SUITES.some((s) => s.includes(f))) problems.push(`no suite matches '${f}'`)
    }
    return problems
  }
  if (!existsSync(join(ROOT, first))) return [`no file ${first}`]
  if (tool === 'node' && (first.startsWith('scripts/') || first.startsWith('apps/')) && first.endsWith('.ts')) {
    problems.push(...unknownFlags(first))
  }
  return problems
}

/** Relative links that lead nowhere: a missing file, or a heading that is not there. */
function brokenLinks(file: string): string[] {
  const headings = (target: string) => {
    const slugger = new GithubSlugger()
    return new Set(tokensOf(target).flatMap((t) => (t.type === 'heading' ? [slugger.slug((t as Tokens.Heading).text)] : [])))
  }
  return tokensOf(file).flatMap((t) => {
    if (t.type !== 'link') return []
    const href = (t as Tokens.Link).href
    if (/^[a-z]+:/.test(href)) return []
    const [path = '', anchor] = href.split('#')
    const target = path ? relative(ROOT, join(ROOT, dirname(file), path)) : file
    if (!existsSync(join(ROOT, target))) return [`${href}: no file ${target}`]
    if (anchor && target.endsWith('.md') && !headings(target).has(anchor)) return [`${href}: no heading #${anchor} in ${target}`]
    return []
  })
}

/** Paths in inline code (`scripts/x.sh`, `apps/processor/`) that do not exist. */
function missingPaths(file: string): string[] {
  const tops = ['apps/', 'harness/', 'model/', 'reporters/', 'scripts/', 'suites/', 'baselines/', 'docs/', '.github/', '.ci/']
  return tokensOf(file).flatMap((t) => {
    if (t.type !== 'codespan') return []
    const text = (t as Tokens.Codespan).text
    if (/[\s<>*]/.test(text)) return []
    const inRoot = tops.some((top) => text.startsWith(top)) && existsSync(join(ROOT, text))
    const beside = /^[\w.-]+\.(ts|sh|yaml|json|sql)$/.test(text) && existsSync(join(ROOT, dirname(file), text))
    const wanted = tops.some((top) => text.startsWith(top)) || /^[\w.-]+\.(ts|sh|yaml)$/.test(text)
    return wanted && !inRoot && !beside ? [text] : []
  })
}

describe.each(DOCS)('%s', (file) => {
  test('every command it gives exists: scripts, flags, profiles, files', () => {
    const commands = commandsOf(file)
    const problems = commands.flatMap((c) => problemsOf(c, PROFILE_NAMES).map((p) => `${c}: ${p}`))
    expect(problems).toEqual([])
  })

  test('every relative link and path in it exists', () => {
    expect([...brokenLinks(file), ...missingPaths(file).map((p) => `no such path: ${p}`)]).toEqual([])
  })
})

test('the README is short and links every docs page and every app README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  expect(readme.length).toBeLessThan(10_000)
  for (const page of DOCS.filter((f) => f !== 'README.md')) expect(readme, page).toContain(`](${page})`)
})

test('the checks catch what they should: a made-up flag, script, profile, suite and file', () => {
  expect(problemsOf('pnpm bench --no-such-flag', PROFILE_NAMES)).toEqual(['scripts/bench.ts has no flag --no-such-flag'])
  expect(problemsOf('pnpm no-such-script', PROFILE_NAMES)).toEqual(["package.json has no script 'no-such-script'"])
  expect(problemsOf('pnpm bench --profile nowhere', PROFILE_NAMES)).toEqual([`no profile 'nowhere' (${PROFILE_NAMES.join(', ')})`])
  expect(problemsOf('pnpm bench no-such-suite', PROFILE_NAMES)).toEqual(["no suite matches 'no-such-suite'"])
  expect(problemsOf('node apps/processor/main.ts --no-such-flag', PROFILE_NAMES)).toEqual([
    'apps/processor/main.ts has no flag --no-such-flag',
  ])
  // Flags declared in a module beside the entry count; others still do not.
  expect(problemsOf('node apps/generator/main.ts --serve --no-such-flag', PROFILE_NAMES)).toEqual([
    'apps/generator/main.ts has no flag --no-such-flag',
  ])
  expect(problemsOf('bash scripts/no-such.sh', PROFILE_NAMES)).toEqual(['no file scripts/no-such.sh'])
})
