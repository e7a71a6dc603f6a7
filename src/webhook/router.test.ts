import type { Request } from '@botpress/sdk'
import { describe, expect, it } from 'vitest'
import { webhookRequest } from './request.fixture'
import { WebhookError } from './responses'
import { routeOf } from './router'

const request = webhookRequest

const outcome = (req: Partial<Request>) => {
  try {
    const { route, segments } = routeOf(request(req))
    return { name: route.name, segments }
  } catch (thrown) {
    if (thrown instanceof WebhookError) {
      return thrown.toResponse()
    }
    throw thrown
  }
}

describe('routeOf', () => {
  it('routes POST on the root path to the message route', () => {
    expect(outcome({})).toEqual({ name: 'post-message', segments: [] })
    expect(outcome({ path: '' })).toEqual({ name: 'post-message', segments: [] })
  })

  it('answers 405 with Allow: POST for another method on the root path', () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']) {
      const response = outcome({ method }) as { status: number; headers: Record<string, string>; body: string }
      expect(response.status).toBe(405)
      expect(response.headers.allow).toBe('POST')
      expect(JSON.parse(response.body).code).toBe('method_not_allowed')
    }
  })

  it('routes GET on a conversation’s messages to the pull route, the id percent-decoded', () => {
    expect(outcome({ method: 'GET', path: '/conversations/c-1/messages' })).toEqual({
      name: 'pull-messages',
      segments: ['c-1'],
    })
    expect(outcome({ method: 'get', path: '/conversations/a%2Fb%20%C3%A9%25/messages' })).toEqual({
      name: 'pull-messages',
      segments: ['a/b é%'],
    })
  })

  it('answers 405 with Allow: GET for another method on the pull path', () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']) {
      const response = outcome({ method, path: '/conversations/c/messages' }) as { status: number; headers: any }
      expect(response.status).toBe(405)
      expect(response.headers.allow).toBe('GET')
    }
  })

  it('answers 404 for any other path, whatever the method', () => {
    const paths = [
      '/messages',
      '/x/y',
      '//',
      '/conversations//messages',
      '/conversations/c/messages/',
      '/conversations/c',
    ]
    for (const path of [...paths, '/conversations/%E0%A4%A/messages', '/conversations/a/b/messages']) {
      expect((outcome({ path }) as { status: number }).status).toBe(404)
      expect((outcome({ path, method: 'GET' }) as { status: number }).status).toBe(404)
    }
  })
})
