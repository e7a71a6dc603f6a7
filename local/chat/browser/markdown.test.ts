import { describe, expect, it } from 'vitest'
import { renderMarkdown } from './markdown'

describe('renderMarkdown', () => {
  it('renders bold, links, lists and code', () => {
    expect(renderMarkdown('**b** [x](https://botpress.com)\n\n- one\n\n`code`')).toBe(
      '<p><strong>b</strong> <a href="https://botpress.com" target="_blank" rel="noopener noreferrer">x</a></p>\n' +
        '<ul>\n<li>one</li>\n</ul>\n<p><code>code</code></p>\n'
    )
  })

  it('shows raw HTML as text', () => {
    const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:x">a</a>')
    expect(html).not.toMatch(/<(script|img|a)\b/)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('links and embeds only http(s) and mailto addresses', () => {
    for (const url of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      'file:///etc/passwd',
    ]) {
      expect(renderMarkdown(`[a](${url}) ![b](${url})`), url).not.toMatch(/<(a|img)\b/)
    }
    expect(renderMarkdown('[mail](mailto:a@b.c)')).toContain('href="mailto:a@b.c"')
    expect(renderMarkdown('![pic](https://example.com/p.png)')).toContain(
      '<img src="https://example.com/p.png" alt="pic">'
    )
  })

  it('makes no link or image of a javascript:, data: or vbscript: address that merely contains http', () => {
    for (const url of [
      "javascript:alert('http://x')",
      'javascript:alert("https://x")',
      'data:text/html,http://x',
      'data:image/svg+xml,https://x',
      'vbscript:msgbox("http://x")',
      ' javascript:fetch(`mailto:x`)',
    ]) {
      const html = renderMarkdown(`[x](${url}) ![y](${url})`)
      // linkify may still link the http://x inside the text: only that address, never the javascript: one
      const addresses = [...html.matchAll(/ (?:href|src)="([^"]*)"/g)].map((match) => match[1])
      expect(addresses, url).toEqual(addresses.filter((address) => /^https?:\/\/x$/.test(address!)))
      expect(html, url).not.toMatch(/<img\b/)
    }
  })
})
