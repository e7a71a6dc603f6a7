import type { Response } from '@botpress/sdk'
import type * as bp from '../bp'
import { assertWebhookSecret, readBearerToken } from './auth'
import { botpressClientFor } from '../botpress/client'
import { withDeadline } from '../botpress/deadline'
import { headerValue } from './request-gate'
import { WebhookError } from './responses'
import { routeOf } from './router'
import { upstreamFailure, type AuthMode, type RequestSubject } from './upstream-failure'

// Under the contract's 10 s, with room for the SDK and Botpress's own forwarding. Waits (at most 8 s from the
// request's arrival) end before it.
const requestDeadlineMs = 9_000

/**
 * Every webhook request: the route (method and path), then authentication, then the route's own checks and work.
 * Every failure ends as a JSON error: an exception escaping to the SDK would become a 400 of another shape.
 */
export const handler: bp.IntegrationProps['handler'] = async ({ req, ctx, logger }): Promise<Response> => {
  const receivedAt = Date.now()
  let authMode: AuthMode = 'personal-access-token'
  let subject: RequestSubject = 'an incoming message'
  try {
    const { route, segments } = routeOf(req)
    subject = route.subject
    const token = readBearerToken(headerValue(req, 'authorization'))
    const webhookSecret = configuredWebhookSecret(ctx.configuration, logger)
    if (webhookSecret) {
      authMode = 'webhook-secret'
      assertWebhookSecret(token, webhookSecret)
    }
    const client = botpressClientFor(ctx, authMode === 'personal-access-token' ? token : undefined)
    const routed = { req, ctx, client, receivedAt, warn: (line: string) => logger.forBot().warn(line) }
    const work = route.run(routed, ...segments)
    return await withDeadline(work, requestDeadlineMs - (Date.now() - receivedAt))
  } catch (thrown) {
    if (thrown instanceof WebhookError) {
      return thrown.toResponse()
    }
    const { error, ownerMessage } = upstreamFailure(thrown, authMode, subject)
    if (ownerMessage) {
      logger.forBot().error(ownerMessage)
    }
    return error.toResponse()
  }
}

/** Botpress hands over the saved JSON as it is: a secret that is not a string is refused, never taken as unset. */
const configuredWebhookSecret = (configuration: bp.Configuration, logger: bp.Logger): string | undefined => {
  const { webhookSecret } = configuration as { webhookSecret?: unknown }
  if (webhookSecret === undefined || webhookSecret === null || webhookSecret === '') {
    return undefined
  }
  if (typeof webhookSecret !== 'string') {
    logger.forBot().error('Messaging API: the Webhook Secret in the configuration is not text; save it again')
    throw new WebhookError('upstream_error', 'The integration is misconfigured: its bot owner has been told')
  }
  return webhookSecret
}
