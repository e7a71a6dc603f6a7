import type { BotpressClient } from './client'
import { forgetErased, type InstallationScope } from './participants'
import { isNotFound } from './upstream-errors'

export type Erasable = { conversationId: string } | { userId: string }

/**
 * Deletes the Botpress conversation (with its messages: Botpress deletes them with it) or user that carries the
 * caller's id as tag `id`: one look-up by tag, one delete. `false` when there is none, also when another request
 * deleted it between the two calls: either way it is gone. The id cache of this copy forgets it; another copy's
 * entry is repaired on its next use (a not-found on a cached id takes the full get-or-create path).
 */
export const erase = async (client: BotpressClient, scope: InstallationScope, target: Erasable): Promise<boolean> => {
  forgetErased(scope, target)
  try {
    if ('conversationId' in target) {
      const { conversations } = await client.listConversations({
        channel: 'channel',
        tags: { id: target.conversationId },
      })
      const found = (conversations ?? []).find((conversation) => conversation?.tags?.id === target.conversationId)
      if (!found) return false
      await client.deleteConversation({ id: found.id })
    } else {
      const { users } = await client.listUsers({ tags: { id: target.userId } })
      const found = (users ?? []).find((user) => user?.tags?.id === target.userId)
      if (!found) return false
      await client.deleteUser({ id: found.id })
    }
  } catch (thrown) {
    if (isNotFound(thrown)) return false
    throw thrown
  }
  forgetErased(scope, target)
  return true
}
