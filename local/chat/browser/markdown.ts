import MarkdownIt from 'markdown-it'

// Raw HTML off: any HTML in a bot's markdown is shown as text, never parsed
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true })

// Links and images only to http(s) and mailto (markdown-it's own check already refuses javascript:, vbscript: ...)
markdown.validateLink = (url) => /^(https?:|mailto:)/i.test(url.trim())

const defaultLinkOpen =
  markdown.renderer.rules.link_open ?? ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options))
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  tokens[index]!.attrSet('target', '_blank')
  tokens[index]!.attrSet('rel', 'noopener noreferrer')
  return defaultLinkOpen(tokens, index, options, env, self)
}

/** The markdown as HTML: escaped text and the tags markdown-it makes, nothing else */
export const renderMarkdown = (source: string) => markdown.render(source)
