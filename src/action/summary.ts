// The job summary: a copy of the log for people, written as HTML. A step whose work is done does
// not fail because the summary cannot be written (a full disk, a runner that made it read-only);
// it says so in a warning.
import { escapeHtml, quote } from '../katapult/untrusted.ts'
import { describeFailure } from './failure-messages.ts'
import type { Runner } from './runner.ts'

/** A heading and a two-column table; every value is escaped here. */
export function summaryTable(heading: string, rows: readonly (readonly [string, string])[]): string {
  const cells = rows.map(([field, value]) => `<tr><td>${escapeHtml(field)}</td><td>${escapeHtml(value)}</td></tr>`)
  return `<h3>${escapeHtml(heading)}</h3>\n<table><tr><th>Field</th><th>Value</th></tr>${cells.join('')}</table>\n`
}

/** One line of text, escaped. */
export function summaryLine(text: string): string {
  return `${escapeHtml(text)}\n`
}

export function addToSummary(runner: Runner, html: string): void {
  try {
    runner.appendSummary(html)
  } catch (error) {
    runner.warning(`Could not write the job summary, which is only a copy of the log: ${quote(describeFailure(error))}`)
  }
}
