import { channel } from '../../definitions/channels'
import type * as bp from '../bp'
import { sendMessage } from './send-message'

// Every message type the channel declares is delivered the same way: one POST carrying type and payload.
const messageTypes = Object.keys(channel.messages) as bp.MessageType[]

export const channels: bp.ChannelHandlers = {
  channel: {
    messages: Object.fromEntries(messageTypes.map((type) => [type, sendMessage])) as Record<
      bp.MessageType,
      typeof sendMessage
    >,
  },
}
