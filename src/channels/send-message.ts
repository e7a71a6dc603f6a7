import { RuntimeError } from '@botpress/sdk'
import type * as bp from '../bp'
import { describeFailure } from '../botpress/upstream-errors'
import { deliver } from './delivery'
import { buildOutboundRequest } from './outbound-request'

type MessageHandler = bp.ChannelHandlers['channel']['messages'][bp.MessageType]
type MessageHandlerProps = Parameters<MessageHandler>[0]

/** POSTs one bot message to the Response Endpoint, if one is set; a final failure is the bot owner's to see. */
export const sendMessage = async ({
  ctx,
  type,
  payload,
  conversation,
  message,
  user,
  ack,
  logger,
}: MessageHandlerProps) => {
  if (ctx.configuration.responseEndpointURL === undefined || ctx.configuration.responseEndpointURL === null) {
    // A pull-only install: the message is already stored in Botpress, where callers pull it. Nothing to send.
    return
  }
  const request = buildOutboundRequest(ctx.configuration, {
    type,
    payload,
    conversationId: conversation.tags.id ?? null,
    botpressUserId: user.id,
    botpressMessageId: message.id,
    botpressConversationId: conversation.id,
  })
  const result = await deliver(request)
  if (!result.ok) {
    const host = new URL(request.url).host
    // Not logged here: the SDK logs a thrown RuntimeError for the bot owner (logging it too printed it twice)
    throw new RuntimeError(
      `Messaging API could not deliver message ${message.id} to ${host}: ${result.reason} after ${result.attempts} attempt(s)`
    )
  }

  const endpointMessageId = idFromResponse(result.responseBody)
  if (endpointMessageId !== undefined) {
    // Delivered already: a failing ack must not make Botpress send the message again.
    await ack({ tags: { id: endpointMessageId } }).catch((thrown: unknown) => {
      logger
        .forBot()
        .warn(
          `Messaging API delivered message ${message.id} but could not store the endpoint's id: ${describeFailure(thrown)}`
        )
    })
  }
}

/** The endpoint may answer `{ "id": "<its own id>" }` (read up to 64 KiB by endpoint-http); anything else: no id. */
const idFromResponse = (body: string): string | undefined => {
  if (!body) {
    return undefined
  }
  try {
    const parsed: unknown = JSON.parse(body)
    const id = typeof parsed === 'object' && parsed !== null ? (parsed as { id?: unknown }).id : undefined
    return typeof id === 'string' && id.length > 0 && id.length <= 255 ? id : undefined
  } catch {
    return undefined
  }
}
