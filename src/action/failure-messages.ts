// The message a user can act on, for any failure of a step: Katapult's code and description, the
// detail that explains it, and what to do, naming the input or setting that decides it. Never a
// stack trace.
import { isIP } from 'node:net'
import { KatapultApiError } from '../katapult/api-errors.ts'
import { scopesOfRequest } from '../katapult/endpoint-scopes.ts'
import { isRecord } from '../katapult/json.ts'
import { UncheckedRequestError } from '../katapult/retry-policy.ts'
import { TransportError } from '../katapult/transport-errors.ts'
import { quoteCut, quoteExcerpt, shownId } from '../katapult/untrusted.ts'
import { DEFAULT_API_ORIGIN } from './connection-inputs.ts'
import { type ActionName, scopeSentence } from './scopes.ts'

/** A long list of an answer's errors says no more than its first ones. */
const MAX_DETAIL_LINES = 10

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

/** What to grant: the scopes this request needs, and those the action needs for each input. */
function scopeAdvice(error: KatapultApiError, action: ActionName | undefined): string[] {
  const scopes = scopesOfRequest(error.request) ?? []
  const [narrowest, ...broader] = [...scopes].reverse()
  const request = narrowest
    ? [`${error.request} needs ${narrowest}${broader.length > 0 ? ` (or ${broader.join(' or ')})` : ''}.`]
    : []
  return [...request, ...(action ? [`The ${action} action needs ${scopeSentence(action)}.`] : [])]
}

function detailLines(error: KatapultApiError, action: ActionName | undefined): string[] {
  const { detail } = error
  switch (error.code) {
    case 'validation_error':
    case 'deletion_restricted': {
      const errors = strings(detail.errors)
      const more = errors.length > MAX_DETAIL_LINES ? [`(and ${errors.length - MAX_DETAIL_LINES} more)`] : []
      return [...errors.slice(0, MAX_DETAIL_LINES).map((message) => `- ${quoteCut(message, 300)}`), ...more]
    }
    case 'object_in_trash': {
      const advice = 'Restore it from the trash in Katapult, or point the action at another object.'
      if (!isRecord(detail.trash_object)) return [advice]
      const trash = detail.trash_object
      const kind = typeof trash.object_type === 'string' ? quoteCut(trash.object_type, 60) : 'object'
      // A date out of the calendar's range is no date: left out rather than let it end the message.
      const until = typeof trash.keep_until === 'number' ? new Date(trash.keep_until * 1000) : undefined
      const keepUntil = until && !Number.isNaN(until.getTime()) ? `, kept until ${until.toISOString()}` : ''
      return [
        `In the trash: ${kind} ${shownId(trash.object_id)} (trash object ${shownId(trash.id)}${keepUntil}).`,
        advice,
      ]
    }
    case 'unauthorized_network_for_api_token': {
      const address = typeof detail.ip_address === 'string' ? detail.ip_address : ''
      return [
        `The request came from ${isIP(address) ? address : 'an address'}, which this API token may not be used from.`,
        "Add the runner's address to the token's allowed networks, or use a token without that restriction.",
      ]
    }
    case 'scope_not_granted': {
      const scopes = strings(detail.scopes)
      const named = scopes.slice(0, MAX_DETAIL_LINES).map((scope) => quoteCut(scope, 60))
      const more = scopes.length > named.length ? ` and ${scopes.length - named.length} more` : ''
      return [
        `Missing scope${scopes.length === 1 ? '' : 's'}: ${named.length > 0 ? named.join(', ') : '(not named)'}${more}.`,
        ...scopeAdvice(error, action),
      ]
    }
    case 'permission_denied':
      return [
        ...(typeof detail.details === 'string' ? [quoteCut(detail.details, 300)] : []),
        "The token is valid but its user may not do this: check that the token's organisation owns the virtual machine (and the addresses), and the user's permissions in it.",
      ]
    case 'invalid_api_token':
    case 'missing_api_token':
      return ['Check the secret passed as api-token: it must be a current Katapult API token.']
    case 'rate_limit_reached':
      return typeof detail.total_permitted === 'number'
        ? [
            `The limit is ${detail.total_permitted} requests a minute, shared by every job and script that uses the organisation's tokens.`,
          ]
        : []
    default:
      if (typeof detail.details === 'string') return [quoteCut(detail.details, 300)]
      return Object.keys(detail).length > 0 ? [quoteExcerpt(JSON.stringify(detail), 400)] : []
  }
}

/** What to check when no answer came, naming the input or setting that decides it. */
function transportAdvice(error: TransportError): string | undefined {
  const { origin, proxy } = error.destination
  const apiUrl = `api-url (${origin}${origin === DEFAULT_API_ORIGIN ? ', the default' : ''})`
  switch (error.kind) {
    case 'unreachable':
      return `Check ${apiUrl}: its host and port must reach Katapult's API.`
    case 'untrusted':
      return (
        `Check ${apiUrl}: it must be Katapult's API. If the runner reaches it through a TLS-inspecting proxy, ` +
        "give Node that proxy's CA certificate: set NODE_EXTRA_CA_CERTS to the certificate's file in the job's env."
      )
    case 'wrong-host':
      return `Check the host name in ${apiUrl}: the server's certificate is for another host.`
    case 'not-tls':
      return `Check ${apiUrl}: https:// needs the port of a TLS server.`
    case 'proxy':
      return (
        (error.reason.includes(' 407 ')
          ? 'The proxy wants credentials: give them in https_proxy, as http://user:password@host:port. '
          : '') + `Check the proxy ${proxy ?? ''} (https_proxy), or name the API's host in no_proxy to go direct.`
      )
    case 'timeout':
      if (proxy && error.reason.startsWith('the proxy')) {
        return `Check the proxy ${proxy} (https_proxy), or name the API's host in no_proxy to go direct.`
      }
      return error.reason.startsWith('the TLS handshake') || error.reason.startsWith('could not connect')
        ? `Check ${apiUrl}: its host and port must reach Katapult's API, and nothing on the way may hold the connection.`
        : undefined
    default:
      return undefined
  }
}

/**
 * The message a user sees for a failure: what failed, Katapult's code and description, what to do;
 * `action` names the action whose inputs the advice may name (the scopes each needs).
 */
export function describeFailure(error: unknown, action?: ActionName): string {
  if (error instanceof UncheckedRequestError) return `${error.message}: ${describeFailure(error.cause, action)}`
  if (error instanceof KatapultApiError) {
    return [`Katapult API error: ${error.message}`, ...detailLines(error, action).map((line) => `  ${line}`)].join('\n')
  }
  if (error instanceof TransportError) {
    const advice = transportAdvice(error)
    return advice ? `${error.message}\n  ${advice}` : error.message
  }
  return error instanceof Error ? error.message : String(error)
}
