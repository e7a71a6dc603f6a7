import { messages } from '@botpress/sdk'
import { channel } from '../../definitions/channels'
import { isHttpUrl } from '../../definitions/configuration'
import { userNameMaxLength } from '../../definitions/user'
import { WebhookError, type Issue } from './responses'
import type { InboundMessage, InboundPayload, InboundType } from '../botpress/ingest'
import type { UserProfile } from '../botpress/user-profile'

/** Every default Botpress message type; `markdown` is outbound only. */
export const inboundTypes = Object.keys(messages.defaults) as InboundType[]

// zod is loaded with the first caller request, not when the integration starts: a copy that is started only to deliver
// bot messages (or answer a health check) never needs it, and a cold start skips evaluating it.
const loadZod = () => require('zod') as typeof import('zod')

/**
 * The rules every caller body shares (a message, an event): the external ids, the user's profile fields and a JSON
 * object field. Each message names its field.
 */
export const callerFields = () => {
  const { z } = loadZod()
  const externalId = (field: string) =>
    z
      .string({ required_error: `${field} is required`, invalid_type_error: `${field} must be a string` })
      .min(1, `${field} must not be empty`)
      .max(255, `${field} must be at most 255 characters`)
  const jsonObject = (field: string) =>
    z.record(z.unknown(), { invalid_type_error: `${field} must be a JSON object` }).nullish()
  return {
    z,
    externalId,
    jsonObject,
    userName: z
      .string({ invalid_type_error: 'userName must be a string' })
      .min(1, 'userName must not be empty')
      .max(userNameMaxLength, `userName must be at most ${userNameMaxLength} characters`)
      .nullish(),
    userPictureUrl: z
      .string({ invalid_type_error: 'userPictureUrl must be a string' })
      .max(2048, 'userPictureUrl must be at most 2048 characters')
      .refine(isHttpUrl, 'userPictureUrl must be an http:// or https:// URL')
      .nullish(),
  }
}

const buildEnvelopeSchema = () => {
  const { z, externalId, jsonObject, userName, userPictureUrl } = callerFields()
  return z.object({
    userId: externalId('userId'),
    messageId: externalId('messageId'),
    conversationId: externalId('conversationId'),
    type: z.string({ required_error: 'type is required', invalid_type_error: 'type must be a string' }),
    text: z.string({ invalid_type_error: 'text must be a string' }).nullish(),
    payload: jsonObject('payload'),
    metadata: jsonObject('metadata'),
    userName,
    userPictureUrl,
  })
}
let envelopeSchema: ReturnType<typeof buildEnvelopeSchema> | undefined

// Types whose payload carries a `text` that the top-level `text` may stand in for.
const textBearingTypes: ReadonlySet<string> = new Set(['text', 'choice', 'dropdown'])

const isInboundType = (type: string): type is InboundType => Object.hasOwn(messages.defaults, type)

export const pathOf = (path: (string | number)[], prefix?: string) =>
  [prefix, ...path].filter((p) => p !== undefined).join('.')

const unsupportedTypeIssue = (type: string): Issue => ({
  path: 'type',
  message: `Unsupported type "${type.slice(0, 40)}": use one of ${inboundTypes.join(', ')}`,
})

/** Validates a caller's message; throws a 400 naming every offending field. */
export const parseInboundMessage = (body: Record<string, unknown>): InboundMessage => {
  envelopeSchema ??= buildEnvelopeSchema()
  const envelope = envelopeSchema.safeParse(body)
  const issues: Issue[] = envelope.success
    ? []
    : envelope.error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message }))

  const type = typeof body.type === 'string' ? body.type : undefined
  const typeIsSupported = type !== undefined && isInboundType(type)
  if (type !== undefined && !typeIsSupported) {
    issues.push(unsupportedTypeIssue(type))
  }

  let payload: InboundPayload | undefined
  if (typeIsSupported) {
    const fields = envelope.success ? envelope.data : fieldsForPayload(body)
    const resolved = resolvePayload(type, fields.text ?? undefined, fields.payload ?? undefined)
    // A field the envelope already faulted is named once.
    issues.push(...resolved.issues.filter((issue) => !issues.some((known) => known.path === issue.path)))
    payload = resolved.payload
  }

  if (issues.length === 1 && issues[0]?.path === 'type' && type !== undefined && !typeIsSupported) {
    throw new WebhookError('unsupported_type', issues[0].message, { issues })
  }
  if (issues.length > 0 || !envelope.success || !payload) {
    throw invalidBody(issues)
  }

  const { userId, messageId, conversationId, metadata } = envelope.data
  // Stored in the payload, where a bot reads it (event.payload.metadata) and pulls return it; null is absent. Given
  // at the top level, it wins over a payload.metadata.
  const stored = metadata ? { ...payload, metadata } : payload
  return {
    userId,
    messageId,
    conversationId,
    type: type as InboundType,
    payload: stored,
    profile: profileOf(envelope.data),
  }
}

/** A 400 naming every offending field once. */
export const invalidBody = (issues: Issue[]) => {
  const fields = [...new Set(issues.map((issue) => issue.path))].join(', ')
  return new WebhookError('invalid_body', `Invalid field${issues.length > 1 ? 's' : ''}: ${fields}`, { issues })
}

/** The caller's optional userName and userPictureUrl, as the Botpress user's profile. */
export const profileOf = ({
  userName,
  userPictureUrl,
}: {
  userName?: string | null
  userPictureUrl?: string | null
}) => {
  const profile: UserProfile = {
    ...(typeof userName === 'string' && { name: userName }),
    ...(typeof userPictureUrl === 'string' && { pictureUrl: userPictureUrl }),
  }
  return profile
}

// Still validate the payload when other fields are wrong, so one answer names every offending field.
const fieldsForPayload = (body: Record<string, unknown>) => ({
  text: typeof body.text === 'string' ? body.text : undefined,
  payload: isPlainObject(body.payload) ? body.payload : undefined,
})

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const resolvePayload = (
  type: InboundType,
  text: string | undefined,
  payload: Record<string, unknown> | undefined
): { payload?: InboundPayload; issues: Issue[] } => {
  if (!payload && type !== 'text') {
    return { issues: [{ path: 'payload', message: `payload is required for type ${type}` }] }
  }
  const candidate = { ...payload }
  // A null payload.text counts as missing, as a null top-level field does.
  const textFilledIn = textBearingTypes.has(type) && (candidate.text ?? undefined) === undefined && text !== undefined
  if (textFilledIn) {
    candidate.text = text
  }
  if (type === 'text' && (candidate.text ?? undefined) === undefined) {
    return { issues: [{ path: 'text', message: 'text is required for type text (or give payload.text)' }] }
  }
  // The channel's schema of the type: the SDK's, with the optional metadata object every type declares
  const parsed = channel.messages[type].schema.safeParse(candidate)
  if (!parsed.success) {
    return {
      issues: parsed.error.issues.map((issue) => ({
        path: textFilledIn && pathOf(issue.path) === 'text' ? 'text' : pathOf(issue.path, 'payload'),
        message: issue.message,
      })),
    }
  }
  return { payload: parsed.data, issues: [] }
}
