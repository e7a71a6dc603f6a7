/** Used when a start carries no timeoutMs: a start without a stop must not show "typing" for ever */
export const defaultTypingTimeoutMs = 30_000

type TypingPayload = { typing?: unknown; timeoutMs?: unknown }

/** "Bot is typing…": shown on a start, hidden on a stop, on the bot's next message, or after timeoutMs */
export const createTyping = (element: HTMLElement) => {
  let timer: ReturnType<typeof setTimeout> | undefined
  const hide = () => {
    clearTimeout(timer)
    element.hidden = true
  }
  const apply = (payload: TypingPayload | undefined) => {
    if (payload?.typing !== true) return hide()
    const timeoutMs =
      typeof payload.timeoutMs === 'number' && payload.timeoutMs > 0 ? payload.timeoutMs : defaultTypingTimeoutMs
    clearTimeout(timer)
    element.hidden = false
    timer = setTimeout(hide, timeoutMs)
  }
  return { apply, hide }
}
