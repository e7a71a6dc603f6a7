import * as api from './api'
import { byId } from './dom'
import type { Inspector } from './inspector'
import { refusal } from './words'

type ForgetOptions = {
  /** the shown conversation's id and inspector */
  current: () => { id: string; inspector: Inspector }
  /** the conversation is erased: the page shows it empty (a next message starts a new one with the same id) */
  onErased: () => void
  showError: (text?: string) => void
}

/** "Forget this conversation": DELETE <webhook URL>/conversations/<id>, its answer shown in the inspector */
export const setUpForget = ({ current, onErased, showError }: ForgetOptions) => {
  const button = byId<HTMLButtonElement>('forget')
  button.addEventListener('click', async () => {
    const { id, inspector } = current()
    showError()
    button.disabled = true
    const shown = inspector.erasureStarted(`DELETE …/conversations/${encodeURIComponent(id)}`)
    try {
      const exchange = await api.forget(id)
      shown.done(exchange)
      if (exchange.response.status === 204) {
        onErased()
        inspector.note('Erased: the conversation and its messages are gone from Botpress')
      } else {
        showError(refusal(exchange.response))
      }
    } catch (thrown) {
      shown.failed()
      showError(`The conversation could not be forgotten: ${(thrown as Error).message}`)
    } finally {
      button.disabled = false
    }
  })
}
