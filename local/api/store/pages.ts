import { ApiError } from '../errors'

type Dated = { id: string; createdAt: string }

export type ListFilter = { afterDate?: string; beforeDate?: string; nextToken?: string }
export type Page<T> = { items: T[]; nextToken?: string }

const time = (value: string, name: string) => {
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw new ApiError('InvalidPayload', `${name} must be an ISO 8601 date, got "${value}"`)
  return ms
}

// Newest first, as Botpress lists; ids break ties so that the order is total
const newerFirst = (a: Dated, b: Dated) =>
  Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

const encodeToken = (last: Dated) => Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url')

const decodeToken = (token: string): Dated => {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[]
    if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt))) {
      return { createdAt, id }
    }
  } catch {}
  throw new ApiError('InvalidPayload', 'nextToken is not a token this API issued')
}

/**
 * One page of `items`, newest first, within `afterDate`..`beforeDate` (both inclusive, as Botpress documents). The
 * next-page token names the last item given (a keyset, not an offset), so messages created meanwhile never shift a
 * page: they are newer than every page after the first.
 */
export const newestFirst = <T extends Dated>(items: T[], filter: ListFilter, pageSize: number): Page<T> => {
  const after = filter.afterDate === undefined ? -Infinity : time(filter.afterDate, 'afterDate')
  const before = filter.beforeDate === undefined ? Infinity : time(filter.beforeDate, 'beforeDate')
  const from = filter.nextToken === undefined ? undefined : decodeToken(filter.nextToken)
  const sorted = items
    .filter((item) => {
      const at = Date.parse(item.createdAt)
      return at >= after && at <= before && (!from || newerFirst(from, item) < 0)
    })
    .sort(newerFirst)
  const page = sorted.slice(0, pageSize)
  const last = page[page.length - 1]
  return { items: page, ...(sorted.length > pageSize && last ? { nextToken: encodeToken(last) } : {}) }
}
