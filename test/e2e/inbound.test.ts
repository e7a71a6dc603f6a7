import { describe, expect, it } from 'vitest'
import { send, textMessage } from '../helpers/caller'
import { useRuntime } from '../helpers/harness'

const harness = useRuntime()

const post = (body: unknown, token: string | null = harness.runtime.personalAccessToken) =>
  send(harness.runtime, { body, token })

const counts = () => ({
  users: harness.runtime.store.users().length,
  conversations: harness.runtime.store.conversations().length,
  messages: harness.runtime.store.messages().length,
})

const storedMessages = (conversationId: string, messageId: string) =>
  harness.runtime.store.messages().filter((m) => m.tags.id === messageId && m.tags.conversationId === conversationId)

describe('a valid message', () => {
  it('creates user, conversation and message and answers 200 with the Botpress objects', async () => {
    const body = textMessage({ text: 'Hi there' })
    const response = await post(body)

    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/json')
    const { message, user, conversation } = response.body
    expect(message).toMatchObject({
      type: 'text',
      payload: { text: 'Hi there' },
      tags: { id: body.messageId, conversationId: body.conversationId },
      userId: user.id,
      conversationId: conversation.id,
    })
    expect(user.tags).toEqual({ id: body.userId })
    expect(conversation).toMatchObject({ channel: 'channel', tags: { id: body.conversationId } })
    expect(storedMessages(body.conversationId, body.messageId)).toEqual([message])

    await harness.runtime.idle()
    expect(harness.endpoint.received.length).toBe(2)
    expect(harness.endpoint.received.map((r) => (r.body as { conversationId: string }).conversationId)).toEqual([
      body.conversationId,
      body.conversationId,
    ])
  })

  it('reuses the user and conversation of earlier messages', async () => {
    const first = textMessage()
    await post(first)
    const before = counts()
    const second = await post({ ...first, messageId: `${first.messageId}-b`, text: 'again' })

    expect(second.status).toBe(200)
    expect(counts().users).toBe(before.users)
    expect(counts().conversations).toBe(before.conversations)
    expect(storedMessages(first.conversationId, `${first.messageId}-b`)).toHaveLength(1)
  })

  it('stores every inbound type with its payload', async () => {
    const card = { title: 'Plan', actions: [{ action: 'postback', label: 'Pick', value: 'pro' }] }
    const payloads: Record<string, Record<string, unknown>> = {
      image: { imageUrl: 'https://example.com/a.png', title: 'A' },
      audio: { audioUrl: 'https://example.com/a.mp3' },
      video: { videoUrl: 'https://example.com/a.mp4' },
      file: { fileUrl: 'https://example.com/a.pdf' },
      location: { latitude: 45.5, longitude: -73.56, address: 'Montréal' },
      card,
      carousel: { items: [card, card] },
      choice: { text: 'Which?', options: [{ label: 'A', value: 'a' }] },
      dropdown: { text: 'Which?', options: [{ label: 'B', value: 'b' }] },
      bloc: {
        items: [
          { type: 'text', payload: { text: 'one' } },
          { type: 'image', payload: { imageUrl: 'https://x.io/i.png' } },
        ],
      },
      text: { text: 'plain' },
    }
    for (const [type, payload] of Object.entries(payloads)) {
      const body = textMessage({ type, payload, text: 'summary' })
      const response = await post(body)
      expect(response.status, type).toBe(200)
      expect(storedMessages(body.conversationId, body.messageId)).toMatchObject([{ type, payload }])
    }
  })

  it('fills payload.text of a choice from text', async () => {
    const body = textMessage({ type: 'choice', text: 'Pick one', payload: { options: [{ label: 'A', value: 'a' }] } })
    const response = await post(body)
    expect(response.status).toBe(200)
    expect(response.body.message.payload).toEqual({ text: 'Pick one', options: [{ label: 'A', value: 'a' }] })
  })
})

describe('deduplication', () => {
  it('keeps one message for sequential repeats, answers the same objects, and the bot reacts once', async () => {
    const body = textMessage()
    const responses = []
    for (let i = 0; i < 3; i++) {
      responses.push(await post(body))
    }
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200])
    // The same objects; the bot's turn may meanwhile be recorded on the message (its turn tags, updatedAt)
    const withoutTurn = ({ message: { updatedAt, tags, ...message }, ...rest }: any) => {
      const { turnStartedAt, turnEndedAt, ...callerTags } = tags
      return { ...rest, message: { ...message, tags: callerTags } }
    }
    expect(withoutTurn(responses[1]?.body)).toEqual(withoutTurn(responses[0]?.body))
    expect(withoutTurn(responses[2]?.body)).toEqual(withoutTurn(responses[0]?.body))
    expect(storedMessages(body.conversationId, body.messageId)).toHaveLength(1)

    await harness.runtime.idle()
    expect(harness.endpoint.received).toHaveLength(2)
  })

  it('keeps one message for concurrent repeats', async () => {
    const body = textMessage()
    const responses = await Promise.all(Array.from({ length: 12 }, () => post(body)))

    expect(responses.every((r) => r.status === 200)).toBe(true)
    expect(new Set(responses.map((r) => r.body.message.id)).size).toBe(1)
    expect(storedMessages(body.conversationId, body.messageId)).toHaveLength(1)
    expect(harness.runtime.store.users().filter((u) => u.tags.id === body.userId)).toHaveLength(1)
    expect(harness.runtime.store.conversations().filter((c) => c.tags.id === body.conversationId)).toHaveLength(1)

    await harness.runtime.idle()
    expect(harness.endpoint.received).toHaveLength(2)
  })

  it('treats the same messageId in another conversation as another message', async () => {
    const body = textMessage()
    const other = { ...body, conversationId: `${body.conversationId}-other` }
    const [first, second] = [await post(body), await post(other)]

    expect(first.status).toBe(200)
    expect(second.status).toBe(200)
    expect(second.body.message.id).not.toBe(first.body.message.id)
    expect(storedMessages(body.conversationId, body.messageId)).toHaveLength(1)
    expect(storedMessages(other.conversationId, body.messageId)).toHaveLength(1)
  })
})
