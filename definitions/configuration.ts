import { z, type ConfigurationDefinition } from '@botpress/sdk'

/** An absolute http(s) URL: what the Response Endpoint URL must be, when saved and again when used. */
export const isHttpUrl = (value: unknown): value is string =>
  typeof value === 'string' && /^https?:\/\//i.test(value) && URL.canParse(value)

export const configuration = {
  schema: z.object({
    responseEndpointURL: z
      .string()
      .url()
      .refine(isHttpUrl, 'Must be an http:// or https:// URL')
      .title('Response Endpoint URL')
      .describe('Every message the bot sends is POSTed to this URL, one message per request'),
    webhookSecret: z
      .string()
      .min(1)
      // It travels as a bearer token: visible ASCII only, so that what is saved is what a caller can send.
      .regex(/^[\x21-\x7e]+$/, 'Use visible ASCII characters only (no spaces)')
      .secret()
      .optional()
      .title('Webhook Secret')
      .describe(
        'Optional. When set, callers authenticate with "Authorization: Bearer <this secret>" instead of a Personal Access Token'
      ),
    signingSecret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'Must be a Standard Webhooks secret: whsec_ followed by base64')
      .secret()
      .optional()
      .title('Signing Secret')
      .describe('Optional Standard Webhooks secret (whsec_...). When set, every request to the endpoint is signed'),
    responseEndpointHeaders: z
      .record(z.string())
      .optional()
      .title('Response Endpoint Headers')
      .describe('Optional extra headers sent with every request to the Response Endpoint (for example its API key)'),
  }),
} satisfies ConfigurationDefinition
