/**
 * Messages and inspector entries linked both ways (a POST and the message it sent, a delivery or a pull and the
 * messages it brought): clicking one highlights it and what it is linked to, scrolled into view.
 */
export const createLinks = () => {
  const partners = new WeakMap<Element, Set<Element>>()
  let lit: Element[] = []

  const partnersOf = (element: Element) => {
    let set = partners.get(element)
    if (!set) partners.set(element, (set = new Set()))
    return set
  }

  const highlight = (element: Element) => {
    for (const each of lit) each.classList.remove('linked')
    const others = [...partnersOf(element)].filter((other) => other.isConnected)
    lit = [element, ...others]
    for (const each of lit) each.classList.add('linked')
    others[0]?.scrollIntoView({ block: 'nearest' })
  }

  return {
    link: (message: Element, entry: Element) => {
      partnersOf(message).add(entry)
      partnersOf(entry).add(message)
    },
    /** Clicks inside `container` on an element matching `selector` highlight it and its partners */
    follow: (container: HTMLElement, selector: string) =>
      container.addEventListener('click', (event) => {
        const element = (event.target as Element).closest(selector)
        if (element) highlight(element)
      }),
  }
}

export type Links = ReturnType<typeof createLinks>
