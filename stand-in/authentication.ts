// Who may ask what: the organisation's API tokens, and Katapult's answers to a request without a
// token, with one it does not know, from a network the token is not allowed from, or needing a
// scope the token was not granted.
import { ApiError } from './answers.ts'
import type { RecordedRequest } from './requests.ts'

export const TOKENS = {
  /** All the scopes the actions need. */
  valid: 'Tq7vK2mLp9Rw4ZtB8nYc3HdJ6sFg1aUe',
  /** Granted only virtual_machines:read. */
  readOnly: 'Rd2nW8xQ5kLm3ZpV7cYt9HbG4sJf6aEu',
  /** Restricted to a network the requests do not come from. */
  officeOnly: 'Of4kS9wN2xB7mQ5tZ8rLc3VyH6dJ1gPa',
} as const

const SCOPE_NOT_GRANTED = 'The scope required for this endpoint has not been granted to the authenticating identity'

/** The request's token, once Katapult would take it from where the request comes from. */
export function authenticate(request: RecordedRequest, remoteAddress: string): string {
  const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')
  if (!match) {
    throw new ApiError(
      400,
      'missing_api_token',
      'No API token was provided in the Authorization header. Ensure a token is provided prefixed with Bearer',
    )
  }
  const token = match[1] ?? ''
  if (!(Object.values(TOKENS) as string[]).includes(token)) {
    throw new ApiError(
      403,
      'invalid_api_token',
      'The API token provided was not valid (it may not exist or have expired)',
      { details: null },
    )
  }
  if (token === TOKENS.officeOnly) {
    throw new ApiError(
      403,
      'unauthorized_network_for_api_token',
      'Network is not allowed to access the API with this API token',
      { ip_address: remoteAddress.replace(/^::ffff:/, '') },
    )
  }
  return token
}

/** Refuses what the token has no scope for: a read-only token may only read. */
export function requireScope(request: RecordedRequest, token: string): void {
  if (token === TOKENS.readOnly && request.method !== 'GET') {
    throw new ApiError(403, 'scope_not_granted', SCOPE_NOT_GRANTED, {
      scopes: ['virtual_machines', 'virtual_machines:network_interfaces'],
    })
  }
}
