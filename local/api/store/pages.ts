import { ApiError } from '../errors'
import type { StoreData } from './data'

type Dated = { id: string; createdAt: string }

export type ListFilter = { afterDate?: string; beforeDate?: string; nextToken?: string }
export type Page<T> = { items: T[]; nextToken?: string }

const time = (value: string, name: string) => {
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw new ApiError('InvalidPayload', `${name} must be an ISO 8601 date, got "${value}"`)
  return ms
}

// A place in a list: a createdAt and the insertion number of an object stored at it
type Key = { at: number; insertion: number }

// Newest first, as Botpress lists; objects of one createdAt as a database lists them, the last stored first (not by
// id: Botpress's ids are random within a millisecond, so ordering by them would hide code that re-sorts by id)
const newerFirst = (a: Key, b: Key) => b.at - a.at || b.insertion - a.insertion

const encodeToken = (last: Key) => Buffer.from(JSON.stringify([last.at, last.insertion])).toString('base64url')

const decodeToken = (token: string): Key => {
  try {
    const [at, insertion] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[]
    if (Number.isSafeInteger(at) && Number.isSafeInteger(insertion)) {
      return { at: at as number, insertion: insertion as number }
    }
  } catch {}
  throw new ApiError('InvalidPayload', 'nextToken is not a token this API issued')
}

/**
 * One page of `items`, newest first, within `afterDate`..`beforeDate` (both inclusive, as Botpress documents). The
 * next-page token names the last item given (a keyset, not an offset), so messages created meanwhile never shift a
 * page: they are newer than every page after the first.
 */
export const newestFirst = <T extends Dated>(
  items: T[],
  filter: ListFilter,
  { pageSize, insertion }: Pick<StoreData, 'pageSize' | 'insertion'>
): Page<T> => {
  const after = filter.afterDate === undefined ? -Infinity : time(filter.afterDate, 'afterDate')
  const before = filter.beforeDate === undefined ? Infinity : time(filter.beforeDate, 'beforeDate')
  const from = filter.nextToken === undefined ? undefined : decodeToken(filter.nextToken)
  const sorted = items
    .map((item) => ({ item, at: Date.parse(item.createdAt), insertion: insertion(item.id) }))
    .filter((key) => key.at >= after && key.at <= before && (!from || newerFirst(from, key) < 0))
    .sort(newerFirst)
  const page = sorted.slice(0, pageSize)
  const last = page[page.length - 1]
  return {
    items: page.map(({ item }) => item),
    ...(sorted.length > pageSize && last ? { nextToken: encodeToken(last) } : {}),
  }
}
