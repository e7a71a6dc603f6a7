// The "before" of the benchmark: inbound handling as the Messaging API v0.2 did it, built with the real SDK. Each
// webhook builds a new Botpress client and makes three sequential get-or-create calls; each bot message is one POST.
// Not part of the integration: bundled into a temporary directory by bench/baseline/build.ts.
import { Client } from '@botpress/client'
import axios from 'axios'
import { channel } from '../../definitions/channels'
import * as bp from '../../src/bp'

type Body = { userId: string; conversationId: string; messageId: string; type: string; text?: string; payload?: object }

const handler: bp.IntegrationProps['handler'] = async ({ req, ctx }) => {
  const token = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
  if (!token) return { status: 401 }
  try {
    const body = JSON.parse(req.body ?? '') as Body
    const client = new Client({ token, botId: ctx.botId, integrationId: ctx.integrationId })
    const { user } = await client.getOrCreateUser({ tags: { id: body.userId } })
    const { conversation } = await client.getOrCreateConversation({
      channel: 'channel',
      tags: { id: body.conversationId },
    })
    const { message } = await client.getOrCreateMessage({
      type: body.type,
      payload: body.payload ?? { text: body.text },
      userId: user.id,
      conversationId: conversation.id,
      tags: { id: body.messageId, conversationId: body.conversationId },
    })
    return { status: 200, body: JSON.stringify({ message, user, conversation }) }
  } catch (thrown) {
    return { status: 500, body: JSON.stringify({ message: String(thrown) }) }
  }
}

type MessageProps = Parameters<bp.ChannelHandlers['channel']['messages'][bp.MessageType]>[0]

const sendMessage = async ({ ctx, type, payload, conversation, user, message }: MessageProps) => {
  // v0.2 required the URL; the benchmark always sets one.
  await axios.post(ctx.configuration.responseEndpointURL ?? '', {
    type,
    payload,
    conversationId: conversation.tags.id,
    botpressUserId: user.id,
    botpressMessageId: message.id,
    botpressConversationId: conversation.id,
  })
}

const messages = Object.fromEntries(Object.keys(channel.messages).map((type) => [type, sendMessage])) as Record<
  bp.MessageType,
  typeof sendMessage
>

export default new bp.Integration({
  register: async () => {},
  unregister: async () => {},
  actions: {},
  channels: { channel: { messages } },
  handler,
})
