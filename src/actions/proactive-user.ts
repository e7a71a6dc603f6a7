import { getOrCreateUserInput } from '../../definitions/actions'
import type * as bp from '../bp'
import { botpressClientFor } from '../botpress/client'
import { userFor } from '../botpress/proactive'
import { asOwnerFailure, parseInput } from './failures'

// Botpress's `proactive-user` interface.

const title = 'Get or Create a User'

/**
 * The user the back end knows by `userId`, created when new; `name` and `pictureUrl` are applied when given. `email`
 * is accepted, as the interface has it, and not kept: a Botpress user has no email field (hub.md says so).
 */
export const getOrCreateUser: bp.ActionHandlers['getOrCreateUser'] = async ({ ctx, input }) => {
  const { user, name, pictureUrl } = parseInput(getOrCreateUserInput, input, title)
  const client = botpressClientFor(ctx)
  const found = await asOwnerFailure(title, () => userFor(client, ctx, { userId: user.userId, name, pictureUrl }))
  return { userId: found.id }
}
