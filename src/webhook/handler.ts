import type { Response } from '@botpress/sdk'
import type * as bp from '../bp'
import { assertWebhookSecret, readBearerToken } from './auth'
import { botpressClientFor } from './botpress-client'
import { parseInboundMessage } from './inbound-message'
import { ingestMessage } from './ingest'
import { assertRoute, headerValue, parseJsonObject } from './request-gate'
import { jsonResponse, WebhookError } from './responses'
import { upstreamFailure, type AuthMode } from './upstream-errors'

/**
 * A caller's message in, `{ message, user, conversation }` out. Checks run in the contract's order (route,
 * authentication, size, JSON, fields), and every failure ends as a JSON error: an exception escaping to the SDK
 * would become a 400 of another shape.
 */
export const handler: bp.IntegrationProps['handler'] = async ({ req, ctx, logger }): Promise<Response> => {
  let authMode: AuthMode = 'personal-access-token'
  try {
    assertRoute(req)
    const token = readBearerToken(headerValue(req, 'authorization'))
    const webhookSecret = ctx.configuration.webhookSecret || undefined
    if (webhookSecret) {
      authMode = 'webhook-secret'
      assertWebhookSecret(token, webhookSecret)
    }
    const inbound = parseInboundMessage(parseJsonObject(req.body))
    const client = botpressClientFor(ctx, authMode === 'personal-access-token' ? token : undefined)
    const ingested = await ingestMessage(client, ctx.botId, inbound)
    return jsonResponse(200, ingested)
  } catch (thrown) {
    if (thrown instanceof WebhookError) {
      return thrown.toResponse()
    }
    const { error, ownerMessage } = upstreamFailure(thrown, authMode)
    if (ownerMessage) {
      logger.forBot().error(ownerMessage)
    }
    return error.toResponse()
  }
}
