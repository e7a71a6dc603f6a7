import { getOrCreateUserInput } from '../../definitions/actions'
import type * as bp from '../bp'
import { asOwnerFailure, parseInput } from './failures'
import { userFor } from '../botpress/proactive'
import { botpressClientFor } from '../botpress/client'

/** The user the back end knows by `userId`, created when new; `name` and `pictureUrl` are applied when given. */
export const getOrCreateUser: bp.ActionHandlers['getOrCreateUser'] = async ({ ctx, input }) => {
  const { user, name, pictureUrl } = parseInput(getOrCreateUserInput, input, 'Get or Create User')
  const client = botpressClientFor(ctx)
  const found = await asOwnerFailure('Get or Create User', () =>
    userFor(client, ctx, { userId: user.userId, name, pictureUrl })
  )
  return { userId: found.id }
}
