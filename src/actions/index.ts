import type * as bp from '../bp'
import { getOrCreateUser } from './get-or-create-user'
import { startConversation } from './start-conversation'

export const actions: bp.ActionHandlers = { startConversation, getOrCreateUser }
