import pc from 'picocolors'
import type { RunResults, Verdict } from '../model/results.ts'
import { changePointLines, figureColumns, headline, metricCells } from './format.ts'
import { testbedHeadline } from './testbed.ts'

const VERDICT_COLOR: Record<Verdict, (s: string) => string> = {
  regressed: (s) => pc.bold(pc.red(s)),
  improved: pc.green,
  unchanged: pc.dim,
  new: pc.cyan,
  missing: pc.yellow,
  incomparable: pc.yellow,
}

/** The verdict table and a summary, as the terminal shows them after `pnpm bench`. */
export function renderConsole(results: RunResults, resultsFile: string): string {
  const rows = results.suites.flatMap((s) => s.metrics.map((m) => ({ cells: metricCells(s.suite, m), verdict: m.verdict })))
  const HEADER = ['metric', ...figureColumns(results), 'change [interval] (threshold)', 'verdict']
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r.cells[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
  const out = [pc.bold(line(HEADER).join('  '))]
  for (const row of rows) {
    const cells = line(row.cells)
    cells[4] = VERDICT_COLOR[row.verdict](cells[4] ?? '')
    out.push(cells.join('  '))
  }
  for (const s of results.suites.filter((x) => x.reference)) out.push(pc.dim(`${s.suite}: judged against ${s.reference}`))
  for (const s of results.suites.filter((x) => x.status !== 'passed')) {
    out.push(pc.yellow(`${s.suite}: ${s.status}${s.reason ? ` — ${s.reason}` : ''}`))
  }
  for (const error of results.errors) out.push(pc.red(`error: ${error}`))
  if (results.testbed) out.push((results.testbed.same ? pc.dim : pc.yellow)(`testbed: ${testbedHeadline(results.testbed)}`))
  for (const note of results.environmentNotes) out.push(pc.yellow(`environment: ${note}`))
  for (const line of changePointLines(results)) out.push(pc.magenta(`change point: ${line}`))
  if (results.against)
    out.push(
      `paired: ${results.against.pairs} interleaved pairs against ${results.against.ref} (${results.against.commit.slice(0, 12)})` +
        (results.against.replaced ? `, ${results.against.replaced} replaced (slow spell)` : '') +
        (results.against.slowKept ? `, ${results.against.slowKept} kept although in a slow spell (no replacements left)` : '') +
        (results.against.confirmed ? `; more pairs to confirm: ${results.against.confirmed.join(', ')}` : '') +
        '; the run is held to 1% false alarms over all its metrics (Holm)',
    )
  const { summary: n } = results
  out.push(
    `${pc.bold('verdicts:')} ${n.regressed ? pc.red(`${n.regressed} regressed`) : '0 regressed'}, ${n.improved} improved, ` +
      `${n.unchanged} unchanged, ${n.new} new, ${n.missing} missing, ${n.incomparable} incomparable · ` +
      `suites failed: ${n.failedSuites}, skipped: ${n.skippedSuites}`,
  )
  out.push(pc.bold(headline(results)))
  out.push(`profile: ${results.environment.profile} (${results.environment.profileReason})`)
  out.push(`results: ${resultsFile}`)
  return out.join('\n')
}
