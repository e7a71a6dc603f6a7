/** One HTTP exchange with the integration's webhook, as the page's inspector shows it */
export type Exchange = {
  request: { method: string; url: string; headers: Record<string, string>; body?: string }
  response: { status: number; headers: Record<string, string>; body: string }
}

// The page server holds the token: the browser sees that one was sent, never its value
const shownAuthorization = 'Bearer <token: held by the page server, not shown>'

/**
 * The page server's side of the chat page: it calls the integration's real webhook with the token, as a caller's
 * back end does, and hands the browser the whole exchange.
 */
export const createWebhookCaller = (webhookUrl: string, token: string) => {
  const call = async (method: string, url: string, body?: string, signal?: AbortSignal): Promise<Exchange> => {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' }
    const response = await fetch(url, {
      method,
      headers: { ...headers, authorization: `Bearer ${token}` },
      body,
      signal,
    })
    return {
      request: { method, url, headers: { authorization: shownAuthorization, ...headers }, body },
      response: {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: await response.text(),
      },
    }
  }

  return {
    /** POST <webhook URL> with the body the page built */
    post: (body: string) => call('POST', webhookUrl, body),
    /** DELETE <webhook URL>/conversations/<id>: the conversation and its messages */
    forget: (conversationId: string) =>
      call('DELETE', `${webhookUrl}/conversations/${encodeURIComponent(conversationId)}`),
    /** POST <webhook URL>/events with the event the page built */
    postEvent: (body: string) => call('POST', `${webhookUrl}/events`, body),
    /** GET <webhook URL>/conversations/<id>/messages with the page's after, limit and wait */
    pull: (conversationId: string, query: URLSearchParams, signal?: AbortSignal) => {
      const search = new URLSearchParams()
      for (const name of ['after', 'limit', 'wait']) {
        const value = query.get(name)
        if (value !== null) search.set(name, value)
      }
      const suffix = search.size ? `?${search}` : ''
      const url = `${webhookUrl}/conversations/${encodeURIComponent(conversationId)}/messages${suffix}`
      return call('GET', url, undefined, signal)
    },
  }
}
