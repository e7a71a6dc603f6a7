// What a bot sends is not trusted: a link only to http(s), media from http(s) or a data: URL of that kind of media
const parse = (url: unknown) => {
  if (typeof url !== 'string') return undefined
  try {
    return new URL(url, location.href)
  } catch {
    return undefined
  }
}

export const safeLink = (url: unknown) => {
  const parsed = parse(url)
  return parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:') ? parsed.href : undefined
}

export const safeMedia = (url: unknown, kind: 'image' | 'audio' | 'video') => {
  const parsed = parse(url)
  if (parsed?.protocol === 'data:') return parsed.href.startsWith(`data:${kind}/`) ? parsed.href : undefined
  return safeLink(url)
}
