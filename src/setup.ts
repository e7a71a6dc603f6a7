import { RuntimeError } from '@botpress/sdk'
import { configuration } from '../definitions/configuration'
import type * as bp from './bp'

/** Saving the configuration checks it and nothing else: the endpoint is not called, so it may be down meanwhile. */
export const register: bp.IntegrationProps['register'] = async ({ ctx, logger }) => {
  const parsed = configuration.schema.safeParse(ctx.configuration)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'configuration'}: ${issue.message}`)
    throw new RuntimeError(`Invalid Messaging API configuration: ${problems.join('; ')}`)
  }
  const { responseEndpointURL } = parsed.data
  logger
    .forBot()
    .info(
      responseEndpointURL
        ? `Messaging API ready: bot messages go to ${new URL(responseEndpointURL).host}`
        : 'Messaging API ready: no Response Endpoint URL, so bot messages are not pushed; callers pull them'
    )
}

export const unregister: bp.IntegrationProps['unregister'] = async () => {}
