// Turns any failure into the message a user can act on: Katapult's code and description, the
// detail that explains it, and what to do. Never a stack trace.
import { KatapultApiError, isRecord } from './client.ts'

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

function detailLines(error: KatapultApiError): string[] {
  const { detail } = error
  switch (error.code) {
    case 'validation_error':
    case 'deletion_restricted':
      return strings(detail.errors).map((message) => `- ${message}`)
    case 'object_in_trash': {
      const trash = isRecord(detail.trash_object) ? detail.trash_object : {}
      const keepUntil =
        typeof trash.keep_until === 'number' ? `, kept until ${new Date(trash.keep_until * 1000).toISOString()}` : ''
      return [
        `In the trash: ${text(trash.object_type, 'object')} ${text(trash.object_id, '')} (trash object ${text(trash.id, '?')}${keepUntil}).`,
        'Restore it from the trash in Katapult, or point the action at another object.',
      ]
    }
    case 'unauthorized_network_for_api_token':
      return [
        `The request came from ${text(detail.ip_address, 'an address')}, which this API token may not be used from.`,
        "Add the runner's address to the token's allowed networks, or use a token without that restriction.",
      ]
    case 'scope_not_granted': {
      const scopes = strings(detail.scopes)
      return [
        `Missing scope${scopes.length === 1 ? '' : 's'}: ${scopes.length > 0 ? scopes.join(', ') : '(not named)'}.`,
        'Grant the token virtual_machines (or virtual_machines:network_interfaces with virtual_machines:read), ' +
          'plus ip_addresses for allocate-ips and tasks:read for attach and cleanup.',
      ]
    }
    case 'invalid_api_token':
    case 'missing_api_token':
      return ['Check the secret passed as api-token: it must be a current Katapult API token.']
    case 'rate_limit_reached':
      return typeof detail.total_permitted === 'number'
        ? [`The limit is ${detail.total_permitted} requests per minute; raise max-attempts or spread the jobs out.`]
        : []
    default:
      if (typeof detail.details === 'string') return [detail.details]
      return Object.keys(detail).length > 0 ? [JSON.stringify(detail)] : []
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof KatapultApiError) {
    return [`Katapult API error: ${error.message}`, ...detailLines(error).map((line) => `  ${line}`)].join('\n')
  }
  return error instanceof Error ? error.message : String(error)
}
