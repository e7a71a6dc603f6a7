import { h } from './dom'
import { renderMarkdown } from './markdown'
import { safeLink, safeMedia } from './urls'

/** What a rendered message can do: send a text as the user (a button's value, an option), shown as its label */
export type Actions = { send(text: string, label?: string): void }

type Payload = Record<string, any>
type CardAction = { action?: string; label?: string; value?: string }

const str = (value: unknown) => (typeof value === 'string' ? value : undefined)

/** A link when the URL is safe; the text alone otherwise */
const link = (url: unknown, text: string) => {
  const href = safeLink(url)
  return href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, text) : h('span', {}, text)
}

const caption = (title: unknown) => (str(title) ? h('figcaption', {}, str(title)) : undefined)

const media = (kind: 'image' | 'audio' | 'video', url: unknown, title: unknown) => {
  const src = safeMedia(url, kind)
  if (!src) return h('p', { class: 'muted' }, `(${kind} with an address this page does not load: ${String(url)})`)
  // Players load nothing until played: a page full of media stays light
  const element =
    kind === 'image'
      ? h('img', { src, alt: str(title) ?? 'image', loading: 'lazy' })
      : h(kind, { src, controls: true, preload: 'none', 'aria-label': str(title) ?? kind })
  return h('figure', { class: kind }, element, caption(title))
}

const fileName = (url: unknown) => {
  const href = safeLink(url)
  return href ? decodeURIComponent(new URL(href).pathname.split('/').pop() || href) : String(url)
}

const location = (payload: Payload) => {
  const { latitude, longitude } = payload as { latitude: number; longitude: number }
  // A link to a map: nothing is fetched unless the person follows it
  const map = `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=16/${latitude}/${longitude}`
  return h(
    'div',
    { class: 'location' },
    h('strong', {}, str(payload.title) ?? 'Location'),
    str(payload.address) && h('p', {}, str(payload.address)),
    h('p', { class: 'muted' }, `${latitude}, ${longitude}`),
    link(map, 'Open in a map')
  )
}

const button = (label: string, onclick: () => void, className = 'option') =>
  h('button', { type: 'button', class: className, onclick }, label)

const card = (payload: Payload, actions: Actions) => {
  const image = safeMedia(payload.imageUrl, 'image')
  const buttons = ((payload.actions ?? []) as CardAction[]).map(({ action, label = '', value = '' }) =>
    // A postback shows its label, as a choice does; `say` says its value
    action === 'url' ? link(value, label) : button(label, () => actions.send(value, action === 'say' ? value : label))
  )
  return h(
    'div',
    { class: 'card' },
    image && h('img', { src: image, alt: str(payload.title) ?? '', loading: 'lazy' }),
    h('strong', {}, str(payload.title)),
    str(payload.subtitle) && h('p', {}, str(payload.subtitle)),
    buttons.length > 0 && h('div', { class: 'actions' }, ...buttons)
  )
}

const options = (payload: Payload) => (payload.options ?? []) as Array<{ label: string; value: string }>

const dropdown = (payload: Payload, actions: Actions) => {
  const select = h(
    'select',
    {},
    h('option', { value: '', disabled: true, selected: true }, 'Choose…'),
    ...options(payload).map((option) => h('option', { value: option.value }, option.label))
  )
  const send = () => select.value && actions.send(select.value, select.selectedOptions[0]?.textContent ?? undefined)
  return h(
    'div',
    { class: 'dropdown' },
    h('label', {}, h('span', {}, str(payload.text)), select),
    button('Send choice', send, 'send-choice')
  )
}

/** One bot message as a person expects to see it; an unknown type as its JSON */
export const renderMessage = (type: string, payload: Payload, actions: Actions): HTMLElement => {
  switch (type) {
    case 'text':
      return h('p', { class: 'text' }, str(payload.text))
    case 'markdown': {
      const element = h('div', { class: 'markdown' })
      element.innerHTML = renderMarkdown(str(payload.markdown) ?? '')
      return element
    }
    case 'image':
    case 'audio':
    case 'video':
      return media(type, payload[`${type}Url`], payload.title)
    case 'file':
      return h('p', { class: 'file' }, '📎 ', link(payload.fileUrl, str(payload.title) ?? fileName(payload.fileUrl)))
    case 'location':
      return location(payload)
    case 'card':
      return card(payload, actions)
    case 'carousel':
      return h('div', { class: 'carousel' }, ...((payload.items ?? []) as Payload[]).map((item) => card(item, actions)))
    case 'choice':
      return h(
        'div',
        { class: 'choice' },
        h('p', {}, str(payload.text)),
        h(
          'div',
          { class: 'actions' },
          ...options(payload).map((o) => button(o.label, () => actions.send(o.value, o.label)))
        )
      )
    case 'dropdown':
      return dropdown(payload, actions)
    case 'bloc':
      return h(
        'div',
        { class: 'bloc' },
        ...((payload.items ?? []) as Array<{ type: string; payload: Payload }>).map((item) =>
          renderMessage(item.type, item.payload ?? {}, actions)
        )
      )
    default:
      return h('pre', { class: 'unknown' }, `${type}: ${JSON.stringify(payload, null, 2)}`)
  }
}
