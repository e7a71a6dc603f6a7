// A bot that shows every message type on the chat page: `npm start -- --bot local/chat/every-type-bot.ts`, then send
// "types". "slow <text>" answers after 3 s (the page shows "Bot is typing…" meanwhile); "html" sends markdown with raw
// HTML in it (the page shows it as text). Anything else is echoed, with a choice of these three.
import type { BotFunction, Reply } from '../index'

// Media as data: URLs, so that the page loads nothing from outside
const picture = (label: string, hue: number) =>
  `data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="120"><rect width="240" height="120" rx="12" fill="hsl(${hue},70%,55%)"/><text x="120" y="70" font-family="sans-serif" font-size="24" fill="#fff" text-anchor="middle">${label}</text></svg>`
  )}`

/** A 0.2 s, 440 Hz beep: a WAV file small enough to inline */
const beep = () => {
  const rate = 8000
  const samples = Buffer.alloc(rate / 5, 0).map(
    (_, i) => 128 + Math.round(60 * Math.sin((2 * Math.PI * 440 * i) / rate))
  )
  const header = Buffer.alloc(44)
  header.write('RIFF', 0)
  header.writeUInt32LE(36 + samples.length, 4)
  header.write('WAVEfmt ', 8)
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20) // PCM
  header.writeUInt16LE(1, 22) // mono
  header.writeUInt32LE(rate, 24)
  header.writeUInt32LE(rate, 28)
  header.writeUInt16LE(1, 32)
  header.writeUInt16LE(8, 34)
  header.write('data', 36)
  header.writeUInt32LE(samples.length, 40)
  return `data:audio/wav;base64,${Buffer.concat([header, samples]).toString('base64')}`
}

const card = (title: string, hue: number) => ({
  title,
  subtitle: 'Organic cotton, printed in Québec',
  imageUrl: picture(title, hue),
  actions: [
    { action: 'postback', label: 'Buy', value: `buy ${title}` },
    { action: 'say', label: 'Tell me more', value: `more about ${title}` },
    { action: 'url', label: 'Open the shop', value: 'https://example.com/shop' },
  ],
})

const location = {
  latitude: 45.5017,
  longitude: -73.5673,
  title: 'Botpress',
  address: '400 Boulevard De Maisonneuve Ouest, Montréal',
}

export const everyType: Reply[] = [
  { type: 'text', payload: { text: 'Here is every message type, one per message.' } },
  {
    type: 'markdown',
    payload: {
      markdown:
        '**Bold**, _italic_, `code` and a [link](https://botpress.com):\n\n- one\n- two\n\n```\nconst answer = 42\n```',
    },
  },
  { type: 'image', payload: { imageUrl: picture('An image', 210), title: 'An image' } },
  { type: 'audio', payload: { audioUrl: beep(), title: 'A beep' } },
  { type: 'video', payload: { videoUrl: 'https://example.com/clip.mp4', title: 'A video (loaded only when played)' } },
  { type: 'file', payload: { fileUrl: 'https://example.com/files/price-list.pdf', title: 'Price list (PDF)' } },
  { type: 'location', payload: location },
  { type: 'card', payload: card('T-shirt', 150) },
  { type: 'carousel', payload: { items: [card('Hoodie', 20), card('Cap', 280), card('Mug', 50)] } },
  {
    type: 'choice',
    payload: { text: 'Pick a size', options: ['S', 'M', 'L'].map((size) => ({ label: size, value: `size ${size}` })) },
  },
  {
    type: 'dropdown',
    payload: {
      text: 'Pick a colour',
      options: ['Red', 'Green', 'Blue'].map((colour) => ({ label: colour, value: `colour ${colour.toLowerCase()}` })),
    },
  },
  {
    type: 'bloc',
    payload: {
      items: [
        { type: 'text', payload: { text: 'A bloc: several items in one message' } },
        { type: 'image', payload: { imageUrl: picture('In a bloc', 330) } },
        { type: 'location', payload: { ...location, title: 'Also in the bloc' } },
      ],
    },
  },
]

export const rawHtml =
  'Raw HTML stays text: <script>window.__xss = 1</script> <img src=x onerror="window.__xss = 2"> ' +
  'and [a javascript: link](javascript:window.__xss=3) is no link.'

const menu: Reply = {
  type: 'choice',
  payload: {
    text: 'Try:',
    options: [
      { label: 'Every message type', value: 'types' },
      { label: 'A slow answer', value: 'slow answer' },
      { label: 'Raw HTML in markdown', value: 'html' },
    ],
  },
}

const bot: BotFunction = async ({ message }) => {
  const text = typeof message.payload.text === 'string' ? message.payload.text.trim() : ''
  if (text.toLowerCase() === 'types') return everyType
  if (text.toLowerCase() === 'html') return [{ type: 'markdown', payload: { markdown: rawHtml } }]
  if (text.toLowerCase().startsWith('slow')) {
    await new Promise((resolve) => setTimeout(resolve, 3000))
    return [{ type: 'text', payload: { text: `You said, slowly: ${text}` } }]
  }
  return [{ type: 'text', payload: { text: `You said: ${text}` } }, menu]
}
export default bot
