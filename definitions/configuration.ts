import { z, type ConfigurationDefinition } from '@botpress/sdk'

/** An absolute http(s) URL: what a set Response Endpoint URL must be, checked again when it is used. */
export const isHttpUrl = (value: unknown): value is string =>
  typeof value === 'string' && /^https?:\/\//i.test(value) && URL.canParse(value)

export const configuration = {
  schema: z.object({
    responseEndpointURL: z
      .string()
      .url()
      // A pattern, not a refinement, so the rule survives the JSON Schema conversion of `bp deploy`; the converter
      // drops regex flags, hence the spelled-out case-insensitive scheme. A host must follow.
      .regex(/^[Hh][Tt][Tt][Pp][Ss]?:\/\/[^\s/?#]/, 'Must be an http:// or https:// URL')
      .optional()
      .title('Response Endpoint URL')
      .describe(
        'Optional. Every message the bot sends is POSTed to this URL, one message per request. Unset: nothing is pushed, callers pull replies'
      ),
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
    typingIndicator: z
      .boolean()
      .optional()
      .title('Typing Indicator')
      .describe(
        'Optional, off by default. When on, the Response Endpoint also receives a "typing" request when the bot starts answering a message and when it has answered'
      ),
  }),
} satisfies ConfigurationDefinition
