type Attributes = Record<string, string | boolean | undefined | ((event: Event) => void)>
type Child = Node | string | undefined | false

/** A DOM element; text children are text nodes, never parsed as HTML */
export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value)
    else if (value === true) element.setAttribute(name, '')
    else if (typeof value === 'string') element.setAttribute(name, value)
  }
  for (const child of children) if (child !== undefined && child !== false) element.append(child)
  return element
}

export const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

/** JSON shown indented when it parses, as it came otherwise */
export const pretty = (text: string | undefined) => {
  if (text === undefined || text === '') return ''
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

/** A time to show beside a message or an inspector entry: hh:mm:ss, the full date on hover */
export const timeOf = (at: number | string) => {
  const date = new Date(at)
  const shown = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
  return h('time', { datetime: date.toISOString(), title: date.toLocaleString() }, shown)
}
