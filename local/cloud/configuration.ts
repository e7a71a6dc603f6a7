import { configurationIssues } from '../definition'
import { startViewer, type Viewer, type ViewerRequest } from '../viewer/viewer'
import type { ConfigureOptions } from '../types'
import type { IntegrationContext, OperationResult } from './operations'

export type ConfigurationOptions = {
  context: IntegrationContext
  register: () => Promise<OperationResult>
  quiet?: boolean
  onViewerRequest?: (request: ViewerRequest) => void
}

/**
 * Like saving the configuration in Botpress: validated, then `register` is sent to the integration. Without a
 * responseEndpointURL, replies go to the built-in viewer, started the first time it is needed, unless told otherwise
 * (`viewer: false`: a pull-only install).
 */
export const createConfiguration = ({ context, register, quiet, onViewerRequest }: ConfigurationOptions) => {
  let viewer: Viewer | undefined
  // Every viewer started is closed with the runtime, even if two first configure() calls raced
  const started: Viewer[] = []

  const configure = async (configuration: Record<string, unknown>, options: ConfigureOptions = {}) => {
    let resolved = configuration
    if (!configuration.responseEndpointURL && options.viewer !== false) {
      if (!viewer) {
        viewer = await startViewer({ quiet, onRequest: onViewerRequest })
        started.push(viewer)
      }
      resolved = { ...configuration, responseEndpointURL: viewer.url }
    }
    const issues = options.skipValidation ? [] : configurationIssues(resolved)
    if (issues.length) throw new Error(`Invalid configuration: ${issues.join('; ')}`)
    const signingSecret = options.viewerSigningSecret ?? resolved.signingSecret
    viewer?.setSigningSecret(typeof signingSecret === 'string' ? signingSecret : undefined)
    context.configuration = resolved
    const result = await register()
    // Unchecked on purpose: the integration's own register may refuse it, and the configuration stays in place
    if (!options.skipValidation && (result.status < 200 || result.status >= 300)) {
      throw new Error(`The integration refused the configuration (register: HTTP ${result.status} ${result.body})`)
    }
  }

  return {
    configure,
    viewerRequests: () => viewer?.requests ?? [],
    close: () => Promise.all(started.map((each) => each.close())),
  }
}
