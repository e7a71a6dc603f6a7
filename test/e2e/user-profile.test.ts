import { describe, expect, it } from 'vitest'
import { send, textMessage } from '../helpers/caller'
import { useRuntime } from '../helpers/harness'

const harness = useRuntime({ bot: false })

const post = (body: unknown) => send(harness.runtime, { body, token: harness.runtime.personalAccessToken })
const storedUser = (userId: string) => harness.runtime.store.users().find((user) => user.tags.id === userId)
const routes = () => harness.runtime.apiCalls.map((call) => call.route)

describe('userName and userPictureUrl', () => {
  it('are set on creation, without an extra call', async () => {
    const body = textMessage({ userName: 'Ada', userPictureUrl: 'https://example.com/ada.png' })
    const response = await post(body)
    expect(response.status).toBe(200)
    expect(response.body.user).toMatchObject({ name: 'Ada', pictureUrl: 'https://example.com/ada.png' })
    expect(storedUser(body.userId)).toMatchObject({ name: 'Ada', pictureUrl: 'https://example.com/ada.png' })
    expect(routes()).not.toContain('updateUser')
  })

  it('are updated only when they differ from the stored user, with one more call then', async () => {
    const first = textMessage({ userName: 'Ada' })
    await post(first)
    const again = (overrides: Record<string, unknown>) =>
      post({ ...first, messageId: `${first.messageId}-${Math.random()}`, ...overrides })

    harness.runtime.clearApiCalls()
    await again({ userName: 'Ada' })
    expect(routes()).not.toContain('updateUser')

    harness.runtime.clearApiCalls()
    const renamed = await again({ userName: 'Ada L.', userPictureUrl: 'http://example.com/a.png' })
    expect(routes().filter((route) => route === 'updateUser')).toHaveLength(1)
    expect(renamed.body.user).toMatchObject({ name: 'Ada L.', pictureUrl: 'http://example.com/a.png' })
    expect(storedUser(first.userId)).toMatchObject({ name: 'Ada L.', pictureUrl: 'http://example.com/a.png' })

    // Absent: left as they are.
    harness.runtime.clearApiCalls()
    await again({ userName: undefined })
    expect(routes()).not.toContain('updateUser')
    expect(storedUser(first.userId)).toMatchObject({ name: 'Ada L.', pictureUrl: 'http://example.com/a.png' })
  })

  it('takes a userName of 200 characters, Botpress’s own limit on a name', async () => {
    const body = textMessage({ userName: 'n'.repeat(200) })
    expect((await post(body)).status).toBe(200)
    expect(storedUser(body.userId)).toMatchObject({ name: 'n'.repeat(200) })
  })

  it('are refused with 400 invalid_body naming the field, and nothing is created', async () => {
    const users = harness.runtime.store.users().length
    const messages = harness.runtime.store.messages().length
    for (const fields of [
      { userName: '' },
      { userName: 'x'.repeat(201) },
      { userPictureUrl: 'javascript:alert(1)' },
      { userPictureUrl: `https://example.com/${'p'.repeat(2040)}` },
    ]) {
      const response = await post(textMessage(fields))
      expect(response.status).toBe(400)
      expect(response.body.code).toBe('invalid_body')
      expect(response.body.issues.map((issue: { path: string }) => issue.path)).toEqual(Object.keys(fields))
    }
    expect(harness.runtime.store.users()).toHaveLength(users)
    expect(harness.runtime.store.messages()).toHaveLength(messages)
  })
})
