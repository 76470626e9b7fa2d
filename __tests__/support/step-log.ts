// Reading a step's log as the runner reads it: its ::error:: and ::warning:: commands decoded, the
// lines a user sees, and any line the runner would obey as a command the action did not mean.

/** What a step printed: the bundle's stdout and stderr, or what the recording runner wrote. */
interface Printed {
  stdout: string
  stderr: string
}

/** Every log line but the runner's own ::add-mask:: command. */
export function printedLines(result: Printed): string[] {
  return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => !line.startsWith('::add-mask::'))
}

/** The workflow commands the action means to send; any other `::` line start or `##[` is injected. */
const OWN_COMMANDS = /^::(debug|error|warning|notice|add-mask)::/

/** Lines that the runner would obey as a command the action did not send. */
export function obeyedCommands(result: Printed): string[] {
  return `${result.stdout}\n${result.stderr}`
    .split('\n')
    .filter(
      (line) => (line.trimStart().startsWith('::') && !OWN_COMMANDS.test(line.trimStart())) || line.includes('##['),
    )
}

function decode(result: Printed, command: string): string {
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith(`::${command}::`))
    .map((line) => line.slice(`::${command}::`.length).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'))
    .join('\n')
}

/** The text of the runner's ::error:: commands, decoded. */
export function errorsOf(result: Printed): string {
  return decode(result, 'error')
}

export function warningsOf(result: Printed): string {
  return decode(result, 'warning')
}
