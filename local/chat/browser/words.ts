import type { Config } from './api'
import type { Exchange } from './inspector'

/** The integration's error answer in words: its message, then each issue's field */
export const refusal = ({ status, body }: Exchange['response']) => {
  try {
    const error = JSON.parse(body) as {
      code?: string
      message?: string
      issues?: Array<{ path: string; message: string }>
    }
    const issues = (error.issues ?? []).map((issue) => `${issue.path}: ${issue.message}`).join('; ')
    return `The integration refused the message (HTTP ${status}, ${error.code}): ${error.message}${issues ? ` (${issues})` : ''}`
  } catch {
    return `The integration refused the message (HTTP ${status}): ${body.slice(0, 300)}`
  }
}

/** How the bot's messages reach this page, in a sentence */
export const modeText = (config: Config) => {
  if (config.mode === 'pull') {
    return 'Pull-only (--no-endpoint): nothing is pushed; this page long-polls the integration’s pull route (GET …/conversations/<id>/messages?after=<cursor>&wait=8) for the bot’s messages. Pull answers carry no typing.'
  }
  if (config.mode === 'own-endpoint') {
    return 'Replies are pushed to your own Response Endpoint (--endpoint); this page reads them by long-polling the pull route with the cursor.'
  }
  const signing = config.signed
    ? 'each signature is verified'
    : 'unsigned: start with --signing-secret generate to sign them'
  return `Replies are pushed by the integration to the built-in endpoint and shown here as they arrive (${signing}).`
}

/** The curl that writes into a conversation from a terminal, as the empty conversation suggests */
export const curlFor = (webhookUrl: string, conversationId: string) => {
  const body = { userId: 'user-1', messageId: 'msg-1', conversationId, type: 'text', text: 'Hello bot' }
  return `curl -X POST '${webhookUrl}' \\
  -H 'Authorization: Bearer <the token npm start printed>' \\
  -H 'Content-Type: application/json' \\
  -d '${JSON.stringify(body)}'`
}
