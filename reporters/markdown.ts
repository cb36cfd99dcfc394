import type { RunResults, Verdict } from '../model/results.ts'
import { profilesMarkdown } from './cpu-profiles.ts'
import { changePointLines, figureColumns, headline, metricCells, sparkline } from './format.ts'
import { testbedHeadline } from './testbed.ts'

/** Marks our PR comment so the comment workflow updates it instead of adding another. */
export const COMMENT_MARKER = '<!-- performance-observatory -->'

const ICON: Record<Verdict, string> = {
  regressed: '🔴',
  improved: '🟢',
  unchanged: '⚪',
  new: '🆕',
  missing: '⚠️',
  incomparable: '↔️',
}

/** The run as GitHub-flavoured Markdown: a one-line headline, problems first, then one table per suite. */
export function renderMarkdown(results: RunResults): string {
  const n = results.summary
  const out = [COMMENT_MARKER, `### performance-observatory: ${escapeMarkdown(headline(results))}`, '']
  out.push(
    `${n.regressed} regressed · ${n.improved} improved · ${n.unchanged} unchanged · ${n.new} new · ${n.missing} missing` +
      ` · ${n.incomparable} incomparable · suites failed ${n.failedSuites}, skipped ${n.skippedSuites}`,
    '',
  )
  if (results.testbed && !results.testbed.same) {
    out.push(
      `> [!WARNING]\n> Measured ${escapeMarkdown(testbedHeadline(results.testbed))}. Figures that depend on the machine's speed are ` +
        `incomparable, not regressed; for a verdict on this machine run \`pnpm bench --against REF\`.\n` +
        results.testbed.differences.map((d) => `> - ${escapeMarkdown(d)}`).join('\n'),
      '',
    )
  }
  for (const error of results.errors) out.push(`> [!CAUTION]\n> ${escapeMarkdown(error).replaceAll('\n', '\n> ')}`, '')
  if (results.against) {
    const { ref, commit, pairs, replaced, slowKept } = results.against
    out.push(
      `Paired mode: ${pairs} interleaved pairs of runs against \`${escapeMarkdown(ref)}\` (${commit.slice(0, 12)})${replaced ? `, ${replaced} more replaced (measured in a slow spell of the machine)` : ''}${slowKept ? `, ${slowKept} judged although measured in a slow spell (no replacements were left)` : ''}; the whole run is held to 1% false alarms (Holm over every metric); intervals are 98% per metric.${results.against.confirmed ? ` Confirmed with more pairs: ${results.against.confirmed.join(', ')}.` : ''}`,
      '',
    )
  }
  const shifts = changePointLines(results)
  if (shifts.length > 0)
    out.push(`> [!IMPORTANT]\n> Change points in the history:\n${shifts.map((l) => `> - ${escapeMarkdown(l)}`).join('\n')}`, '')
  if (results.environmentNotes.length > 0) {
    out.push(
      `> [!NOTE]\n> The environment differs from the baselines':\n${results.environmentNotes.map((n) => `> - ${escapeMarkdown(n)}`).join('\n')}`,
      '',
    )
  }
  for (const suite of results.suites) {
    out.push(`#### ${suite.suite} — ${suite.status}${suite.reason ? `: ${escapeMarkdown(suite.reason)}` : ''}`, '')
    if (suite.reference) out.push(`Judged against ${escapeMarkdown(suite.reference)}.`, '')
    if (suite.metrics.length > 0) {
      out.push(
        `| metric | ${figureColumns(results).join(' | ')} | change [interval] (threshold) | verdict | trend |`,
        '| --- | ---: | ---: | ---: | --- | --- |',
      )
      for (const m of suite.metrics) {
        const [, baseline, current, change] = metricCells(suite.suite, m)
        const trend = m.history && m.history.values.length > 1 ? sparkline(m.history.values) : ''
        out.push(`| ${escapeMarkdown(m.key)} | ${baseline} | ${current} | ${change} | ${ICON[m.verdict]} ${m.verdict} | ${trend} |`)
      }
      out.push('')
    }
    out.push(...profilesMarkdown(suite, escapeMarkdown))
  }
  const env = results.environment
  out.push(
    `<sub>profile ${env.profile} (${escapeMarkdown(env.profileReason)}) · ${env.cores} × ${escapeMarkdown(env.cpuModel)} · ` +
      `${Math.round(env.memoryBytes / 2 ** 30)} GiB · ${env.os} · Node ${env.node}</sub>`,
  )
  return `${out.join('\n')}\n`
}

// Table cells must not break the table; everything else renders as text.
export const escapeMarkdown = (text: string) => text.replaceAll('|', '\\|').replaceAll('<', '&lt;')
