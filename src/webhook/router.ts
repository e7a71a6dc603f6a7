import type { Request } from '@botpress/sdk'
import { WebhookError } from './responses'
import { routes, type RouteSpec } from './routes'

/** A request matched to its route, with the path's segments decoded. */
export type Routed = { route: RouteSpec; segments: string[] }

const notFound = () => new WebhookError('not_found', `Not found: ${routes.map((route) => route.usage).join(', ')}`)

// The caller's ids are 1..255 characters (as JavaScript counts them): a longer one names nothing.
const maxIdLength = 255

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment)
  } catch {
    // A segment that does not decode names nothing, whatever the method
    throw new WebhookError('not_found', 'Not found: an id in the path is not valid percent-encoded UTF-8')
  }
}

/**
 * The one place that tells routes apart, from method and path alone (they need no authentication). Ids travel
 * percent-encoded, each as one path segment. A known path with another method is a 405 naming the one allowed.
 */
export const routeOf = ({ method, path }: Request): Routed => {
  const upper = method.toUpperCase()
  const matching = routes.filter((route) => route.path.test(path))
  if (matching.length === 0) {
    throw notFound()
  }
  const segments = matching[0]!.path.exec(path)!.slice(1).map(decodeSegment)
  const route = matching.find((candidate) => candidate.method === upper)
  if (!route) {
    const allowed = matching.map((candidate) => candidate.method).join(', ')
    throw new WebhookError('method_not_allowed', `Method ${upper} is not allowed here: use ${allowed}`, {
      headers: { allow: allowed },
    })
  }
  if (segments.some((segment) => segment.length > maxIdLength)) {
    throw new WebhookError('not_found', `Not found: an id in the path is longer than ${maxIdLength} characters`)
  }
  return { route, segments }
}
