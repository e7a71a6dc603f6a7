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
      '/conversations/c/',
      '/users/u/messages',
      '/users',
      '/users/',
    ]
    for (const path of [...paths, '/conversations/%E0%A4%A/messages', '/conversations/a/b/messages']) {
      expect((outcome({ path }) as { status: number }).status).toBe(404)
      expect((outcome({ path, method: 'GET' }) as { status: number }).status).toBe(404)
    }
  })

  it('routes DELETE on a conversation and on a user to the erasures; any other method is a 405 with Allow: DELETE', () => {
    expect(outcome({ method: 'DELETE', path: '/conversations/c%2F1' })).toEqual({
      name: 'erase-conversation',
      segments: ['c/1'],
    })
    expect(outcome({ method: 'delete', path: '/users/%C3%A9' })).toEqual({ name: 'erase-user', segments: ['é'] })
    for (const path of ['/conversations/c', '/users/u']) {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH']) {
        const response = outcome({ method, path }) as { status: number; headers: Record<string, string> }
        expect([response.status, response.headers.allow]).toEqual([405, 'DELETE'])
      }
    }
  })

  it('answers 404 naming the cause for an id that does not decode or is longer than 255 characters', () => {
    const long = 'é'.repeat(256)
    for (const path of ['/users/%E0%A4%A', `/conversations/${encodeURIComponent(long)}`, `/users/${'x'.repeat(256)}`]) {
      const response = outcome({ method: 'DELETE', path }) as { status: number; body: string }
      expect(response.status).toBe(404)
      expect(JSON.parse(response.body).message).toMatch(/percent-encoded|longer than 255/)
    }
    expect(outcome({ method: 'DELETE', path: `/users/${'x'.repeat(255)}` })).toMatchObject({ name: 'erase-user' })
  })
})
