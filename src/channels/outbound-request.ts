import { RuntimeError } from '@botpress/sdk'
import type { Webhook } from 'standardwebhooks'
import { isHttpUrl } from '../../definitions/configuration'
import { integrationName, integrationVersion } from '../../definitions/metadata'
import type * as bp from '../bp'
import { lazyCache } from '../botpress/lazy-cache'
import type { OutboundBody } from '../botpress/outbound-body'

export type OutboundRequest = { url: string; body: string; headers: Record<string, string> }

const userAgent = `botpress-${integrationName}/${integrationVersion}`
const headerNamePattern = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const headerValuePattern = /^[\t\x20-\x7e\x80-\xff]*$/
// Headers that carry the protocol or frame the request itself; configured headers may not replace them.
const reservedHeaders = new Set([
  'content-type',
  'user-agent',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'content-length',
  'transfer-encoding',
  'connection',
  'host',
])

/** Whether a Response Endpoint is set at all: without one (a pull-only install), nothing is pushed. */
export const endpointConfigured = ({ responseEndpointURL }: bp.Configuration): boolean =>
  responseEndpointURL !== undefined && responseEndpointURL !== null

/** The endpoint settings of the configuration, checked: Botpress hands over the raw saved JSON. */
const endpointSettings = (configuration: bp.Configuration) => {
  const { responseEndpointURL, responseEndpointHeaders, signingSecret } = configuration
  if (!isHttpUrl(responseEndpointURL)) {
    throw new RuntimeError('Messaging API: the Response Endpoint URL is missing or is not an http(s) URL')
  }
  if (
    responseEndpointHeaders !== undefined &&
    (typeof responseEndpointHeaders !== 'object' ||
      responseEndpointHeaders === null ||
      Array.isArray(responseEndpointHeaders))
  ) {
    throw new RuntimeError('Messaging API: the Response Endpoint Headers must be an object of header names to values')
  }
  const extraHeaders: Record<string, string> = {}
  for (const [name, value] of Object.entries(responseEndpointHeaders ?? {})) {
    if (!headerNamePattern.test(name) || typeof value !== 'string' || !headerValuePattern.test(value)) {
      throw new RuntimeError(`Messaging API: the Response Endpoint header "${name.slice(0, 64)}" is not a valid header`)
    }
    if (!reservedHeaders.has(name.toLowerCase())) {
      extraHeaders[name] = value
    }
  }
  return { url: responseEndpointURL, extraHeaders, signingSecret: signingSecret || undefined }
}

// One signer per secret (it decodes the secret once), kept while in use: a miss only costs building it again. The
// library is loaded with the first signed message: an install without a signing secret never needs it.
const signers = lazyCache<Webhook>({ max: 100 })

const signer = (signingSecret: string) => {
  let cached = signers.get(signingSecret)
  if (!cached) {
    const { Webhook: StandardWebhook } = require('standardwebhooks') as typeof import('standardwebhooks')
    try {
      cached = new StandardWebhook(signingSecret)
    } catch {
      throw new RuntimeError('Messaging API: the signing secret is not a valid Standard Webhooks secret (whsec_...)')
    }
    signers.set(signingSecret, cached)
  }
  return cached
}

/**
 * One request to the Response Endpoint: `body` as JSON, Standard Webhooks headers with this `webhook-id`, signed when a
 * signing secret is set, plus the configured headers. Every request to the endpoint is built here.
 */
export const buildSignedRequest = (
  configuration: bp.Configuration,
  webhookId: string,
  body: unknown
): OutboundRequest => {
  const { url, extraHeaders, signingSecret } = endpointSettings(configuration)
  const serialized = JSON.stringify(body)
  const sentAt = new Date()
  const headers: Record<string, string> = {
    ...extraHeaders,
    'content-type': 'application/json',
    'user-agent': userAgent,
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
  }
  if (signingSecret) {
    headers['webhook-signature'] = signer(signingSecret).sign(webhookId, sentAt, serialized)
  }
  return { url, body: serialized, headers }
}

/** One bot message as the endpoint receives it: its `webhook-id` is the message's id, the same on every retry. */
export const buildOutboundRequest = (configuration: bp.Configuration, body: OutboundBody): OutboundRequest =>
  buildSignedRequest(configuration, body.botpressMessageId, body)
