import type { Request } from '@botpress/sdk'
import type * as bp from '../../bp'
import type { BotpressClient } from '../../botpress/client'

/** What every route gets once the request is routed and authenticated. */
export type RouteContext = {
  req: Request
  ctx: bp.Context
  client: BotpressClient
  /** when the request arrived (ms): waits are counted from it */
  receivedAt: number
  /** for what the bot owner should know of a request that still succeeded */
  warn: (line: string) => void
}
