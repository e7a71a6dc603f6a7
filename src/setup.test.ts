import { RuntimeError } from '@botpress/sdk'
import { describe, expect, it } from 'vitest'
import type * as bp from './bp'
import { register } from './setup'

type RegisterProps = Parameters<bp.IntegrationProps['register']>[0]

const registerWith = async (configuration: Record<string, unknown>) => {
  const lines: string[] = []
  const logger = { forBot: () => ({ info: (line: string) => lines.push(line) }) }
  const props = { ctx: { configuration }, logger, webhookUrl: 'http://127.0.0.1/webhook' } as unknown as RegisterProps
  await register(props)
  return lines
}

const rejection = async (configuration: Record<string, unknown>) => {
  try {
    await registerWith(configuration)
  } catch (thrown) {
    return thrown
  }
  return undefined
}

describe('register', () => {
  it('accepts a valid configuration and tells the bot owner where messages go, without secrets', async () => {
    const lines = await registerWith({
      responseEndpointURL: 'https://crm.example.com/botpress?key=url-secret',
      webhookSecret: 'hook-secret-1',
      signingSecret: `whsec_${Buffer.from('k'.repeat(32)).toString('base64')}`,
      responseEndpointHeaders: { 'x-api-key': 'header-secret-2' },
    })
    expect(lines).toEqual(['Messaging API ready: bot messages go to crm.example.com'])
  })

  it('accepts a configuration without a Response Endpoint URL and says that replies are pulled', async () => {
    expect(await registerWith({})).toEqual([
      'Messaging API ready: no Response Endpoint URL, so bot messages are not pushed; callers pull them',
    ])
    expect(await registerWith({ webhookSecret: 'hook-secret-1' })).toHaveLength(1)
  })

  it('refuses an invalid configuration with a RuntimeError naming each field', async () => {
    const thrown = await rejection({ responseEndpointURL: 'ftp://example.com', signingSecret: 'not-a-secret' })
    expect(thrown).toBeInstanceOf(RuntimeError)
    expect((thrown as Error).message).toContain('responseEndpointURL')
    expect((thrown as Error).message).toContain('signingSecret')
    expect((thrown as Error).message).not.toContain('not-a-secret')
    expect(await rejection({ responseEndpointURL: 'not a url' })).toBeInstanceOf(RuntimeError)
    // A webhook secret is sent as a bearer token: one that no caller could send is refused when saved.
    const spaced = await rejection({ responseEndpointURL: 'https://example.com', webhookSecret: 'two words' })
    expect((spaced as Error).message).toContain('webhookSecret')
  })
})
