import type { LocalRuntime } from '../index'
import { buildPageAssets } from './bundle'
import { createEventStream } from './events'
import { createChatPage, type ChatMode } from './page-server'

export type { ChatMode } from './page-server'

/**
 * npm start's chat page. `createChat()` comes first, so that its hooks go into startLocalRuntime's options; `serve`
 * then bundles the page and serves it at `/` of the runtime's port. Resolves to the page's URL.
 */
export const createChat = () => {
  const events = createEventStream()
  return {
    onViewerRequest: events.endpointRequest,
    onDelivery: events.delivery,
    onMessageStored: events.messageStored,
    serve: async (runtime: LocalRuntime, options: { token: string; mode: ChatMode; signed: boolean }) => {
      const assets = await buildPageAssets()
      runtime.serve(createChatPage({ ...options, runtime, assets, events }))
      return `${runtime.url}/`
    },
  }
}
