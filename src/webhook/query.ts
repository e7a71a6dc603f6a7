import { WebhookError, type Issue } from './responses'

/** `waitMs` is absent when no `wait` was given */
export type Query = { after?: string; limit: number; waitMs?: number }
export type QueryParameter = 'after' | 'limit' | 'wait'

export const maxWaitSeconds = 8
const defaultLimit = 50
const maxLimit = 100
// Far above any cursor this integration issues: a longer value is refused before it is decoded.
const maxCursorLength = 16_384

const seconds = /^\d{1,3}(\.\d{1,3})?$/
const integer = /^\d{1,3}$/

/**
 * The query parameters a route reads (unknown ones are ignored). Every invalid one is named in one 400; the cursor's
 * content is checked later, against the conversation it must belong to.
 */
export const parseQuery = (raw: string | undefined, accepted: ReadonlyArray<QueryParameter>): Query => {
  const params = new URLSearchParams((raw ?? '').replace(/^\?/, ''))
  const issues: Issue[] = []
  const single = (name: QueryParameter): string | undefined => {
    const values = params.getAll(name)
    if (!accepted.includes(name) || values.length === 0) {
      return undefined
    }
    if (values.length > 1) {
      issues.push({ path: name, message: `${name} is given more than once` })
      return undefined
    }
    return values[0]
  }

  const query: Query = { limit: defaultLimit }
  const wait = single('wait')
  if (wait !== undefined) {
    if (seconds.test(wait) && Number(wait) <= maxWaitSeconds) {
      query.waitMs = Math.round(Number(wait) * 1000)
    } else {
      issues.push({ path: 'wait', message: `wait must be a number of seconds from 0 to ${maxWaitSeconds}` })
    }
  }
  const limit = single('limit')
  if (limit !== undefined) {
    if (integer.test(limit) && Number(limit) >= 1 && Number(limit) <= maxLimit) {
      query.limit = Number(limit)
    } else {
      issues.push({ path: 'limit', message: `limit must be an integer from 1 to ${maxLimit}` })
    }
  }
  const after = single('after')
  if (after !== undefined) {
    if (after.length > 0 && after.length <= maxCursorLength) {
      query.after = after
    } else {
      issues.push({ path: 'after', message: 'after must be a cursor from an earlier answer' })
    }
  }
  if (issues.length > 0) {
    const names = issues.map((issue) => issue.path).join(', ')
    throw new WebhookError('invalid_query', `Invalid query parameter${issues.length > 1 ? 's' : ''}: ${names}`, {
      issues,
    })
  }
  return query
}
