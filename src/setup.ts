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
  logger.forBot().info(`Messaging API ready: bot messages go to ${new URL(parsed.data.responseEndpointURL).host}`)
}

export const unregister: bp.IntegrationProps['unregister'] = async () => {}
