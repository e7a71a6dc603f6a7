import type { Response } from '@botpress/sdk'
import { erase } from '../../botpress/erase'
import { WebhookError } from '../responses'
import type { RouteContext } from './types'

const erased: Response = { status: 204, headers: {} }

/** `DELETE /conversations/<conversationId>`: the conversation and its messages; 404 when there is none (any more). */
export const eraseConversation = async ({ ctx, client }: RouteContext, conversationId: string): Promise<Response> => {
  if (await erase(client, ctx, { conversationId })) return erased
  throw new WebhookError('not_found', 'No conversation with this conversationId (none, or already erased)')
}

/** `DELETE /users/<userId>`: the user; their messages stay in their conversations. 404 when there is none (any more). */
export const eraseUser = async ({ ctx, client }: RouteContext, userId: string): Promise<Response> => {
  if (await erase(client, ctx, { userId })) return erased
  throw new WebhookError('not_found', 'No user with this userId (none, or already erased)')
}
