import { RuntimeError, z } from '@botpress/sdk'
import type * as bp from '../bp'
import { botpressClientFor } from '../botpress/client'
import { asOwnerFailure, parseInput } from '../actions/failures'
import { conversationFor, userFor } from '../botpress/proactive'

// Botpress sends `create_conversation` / `create_user` when a bot creates a conversation or user of this integration
// with the required tag `id`. SDK 5.4.3 relays the handler's answer as it is: Botpress reads the new object's id from
// `{ conversation: { id } }` / `{ user: { id } }`.

// Wrapped in `tags` so that a refusal names the field as the bot sent it: `tags.id`
const tagsSchema = z.object({ tags: z.object({ id: z.string().min(1).max(255) }) })

const answer = (body: object) => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

export const createConversation: bp.CreateConversationHandler = async ({ ctx, channel, tags }) => {
  if (channel !== 'channel') {
    throw new RuntimeError(
      `Cannot create a conversation on channel "${String(channel)}": the only channel is "channel"`
    )
  }
  const { id } = parseInput(tagsSchema, { tags }, 'Create Conversation').tags
  const client = botpressClientFor(ctx)
  const conversation = await asOwnerFailure('Creating the conversation', () => conversationFor(client, ctx, id))
  return answer({ conversation: { id: conversation.id } })
}

export const createUser: bp.CreateUserHandler = async ({ ctx, tags }) => {
  const { id } = parseInput(tagsSchema, { tags }, 'Create User').tags
  const client = botpressClientFor(ctx)
  const user = await asOwnerFailure('Creating the user', () => userFor(client, ctx, { userId: id }))
  return answer({ user: { id: user.id } })
}
