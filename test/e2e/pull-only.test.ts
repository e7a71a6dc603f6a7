import { beforeEach, describe, expect, it } from 'vitest'
import { send, textMessage } from '../helpers/caller'
import { useRuntime } from '../helpers/harness'

// A pull-only install: no Response Endpoint URL. Bot messages stay in Botpress for callers to pull.
const harness = useRuntime()
const pullLine = 'no Response Endpoint URL, so bot messages are not pushed; callers pull them'

beforeEach(async () => {
  harness.runtime.setBot(() => [
    { type: 'text', payload: { text: 'one' } },
    { type: 'choice', payload: { text: 'two', options: [{ label: 'A', value: 'a' }] } },
  ])
})

describe('without a Response Endpoint URL', () => {
  it('saves the configuration, and register tells the bot owner that replies are pulled', async () => {
    const logStart = harness.runtime.integrationLogs.length
    await harness.runtime.configure({ webhookSecret: 'pull-only-secret' }, { viewer: false })
    expect(harness.runtime.operations.at(-1)).toMatchObject({ operation: 'register', status: 200 })
    await expect
      .poll(() => harness.runtime.integrationLogs.slice(logStart).some((line) => line.includes(pullLine)))
      .toBe(true)
    expect(harness.runtime.integrationLogs.join('\n')).not.toContain('pull-only-secret')
  })

  it('stores the bot messages, sends nothing to any endpoint, and each message handler succeeds', async () => {
    await harness.runtime.configure({}, { viewer: false })
    const deliveriesBefore = harness.runtime.deliveries.length
    const response = await send(harness.runtime, { body: textMessage(), token: harness.runtime.personalAccessToken })
    expect(response.status).toBe(200)
    await harness.runtime.idle()

    const botMessages = harness.runtime.store
      .messages()
      .filter((m) => m.conversationId === response.body.conversation.id && m.direction === 'outgoing')
    expect(botMessages.map((m) => m.payload)).toEqual([
      { text: 'one' },
      { text: 'two', options: [{ label: 'A', value: 'a' }] },
    ])
    const deliveries = harness.runtime.deliveries.slice(deliveriesBefore)
    expect(deliveries.map((d) => [d.messageId, d.status])).toEqual(botMessages.map((m) => [m.id, 200]))
    expect(harness.endpoint.received).toEqual([])
    expect(harness.runtime.viewerRequests).toEqual([])
    // No Botpress call either: nothing was acknowledged on the bot messages.
    expect(botMessages.every((m) => m.tags.id === undefined)).toBe(true)
  })

  it('pushes again once a Response Endpoint URL is saved', async () => {
    await harness.runtime.configure({ responseEndpointURL: harness.endpoint.url })
    const response = await send(harness.runtime, { body: textMessage(), token: harness.runtime.personalAccessToken })
    expect(response.status).toBe(200)
    await harness.runtime.idle()
    expect(harness.endpoint.received).toHaveLength(2)
  })
})
