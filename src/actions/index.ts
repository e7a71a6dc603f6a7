import type * as bp from '../bp'
import { getOrCreateConversation } from './proactive-conversation'
import { getOrCreateUser } from './proactive-user'
import { sendEvent } from './send-event'
import { startTypingIndicator, stopTypingIndicator } from './typing-indicator'

// One file per Botpress interface the integration implements, and one per action of its own
export const actions: bp.ActionHandlers = {
  getOrCreateConversation,
  getOrCreateUser,
  startTypingIndicator,
  stopTypingIndicator,
  sendEvent,
}
