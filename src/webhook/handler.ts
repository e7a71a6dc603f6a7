import type { Response } from '@botpress/sdk'
import type * as bp from '../bp'
import { assertWebhookSecret, readBearerToken } from './auth'
import { botpressClientFor } from './botpress-client'
import { parseInboundMessage } from './inbound-message'
import { ingestMessage } from './ingest'
import { assertRoute, headerValue, parseJsonObject } from './request-gate'
import { jsonResponse, WebhookError } from './responses'
import { withDeadline } from './deadline'
import { upstreamFailure, type AuthMode } from './upstream-errors'

// Under the contract's 10 s, with room for the SDK and Botpress's own forwarding.
const requestDeadlineMs = 9_000

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
    const webhookSecret = configuredWebhookSecret(ctx.configuration, logger)
    if (webhookSecret) {
      authMode = 'webhook-secret'
      assertWebhookSecret(token, webhookSecret)
    }
    const inbound = parseInboundMessage(parseJsonObject(req.body))
    const client = botpressClientFor(ctx, authMode === 'personal-access-token' ? token : undefined)
    const ingested = await withDeadline(ingestMessage(client, ctx, inbound), requestDeadlineMs)
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
