/** A Botpress message as the caller's side sees it: pushed to the endpoint, and listed by pulls. */
export type OutboundBody = {
  type: string
  payload: unknown
  conversationId: string | null
  botpressUserId: string
  botpressMessageId: string
  botpressConversationId: string
}
