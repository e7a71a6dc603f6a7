import type * as bp from '../bp'
import { describeFailure } from '../botpress/upstream-errors'
import type { OutboundBody } from '../botpress/outbound-body'
import { deliverOrThrow } from './delivery'
import { endpointConfigured } from './outbound-request'

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
  if (!endpointConfigured(ctx.configuration)) {
    // A pull-only install: the message is already stored in Botpress, where callers pull it. Nothing to send.
    return
  }
  const body: OutboundBody = {
    type,
    payload,
    conversationId: conversation.tags.id ?? null,
    botpressUserId: user.id,
    botpressMessageId: message.id,
    botpressConversationId: conversation.id,
  }
  // Its webhook-id is the message's id, the same on every retry. A final failure is thrown, not logged here: the SDK
  // logs a thrown RuntimeError for the bot owner (logging it too printed it twice).
  const result = await deliverOrThrow(ctx.configuration, message.id, body, `message ${message.id}`)

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
