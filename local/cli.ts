// Helpers of `npm start` (start.ts): flags, secrets and delivery lines as the terminal shows them.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { Delivery, TypingEvent } from './index'

/** parseArgs, but a mistyped flag or a stray argument prints what was wrong and the usage, then exits with 2 */
export const parseArgsOrUsage = <T extends ParseArgsConfig>(
  usage: string,
  config: T
): ReturnType<typeof parseArgs<T>> => {
  try {
    return parseArgs(config)
  } catch (thrown) {
    const code = (thrown as { code?: unknown }).code
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw thrown
    return usageError((thrown as Error).message, usage)
  }
}

/** What was wrong with the command line, then the usage; exits with 2 */
export const usageError = (problem: string, usage: string): never => {
  console.error(`npm start: ${problem}\n\n${usage}`)
  process.exit(2)
}

/**
 * A secret the user typed, as it may be shown: never in full. A long one keeps a few leading characters so that
 * the user can tell which one it is.
 */
export const maskSecret = (secret: string): string => {
  const shown = secret.length >= 12 ? secret.slice(0, Math.min(6, Math.floor(secret.length / 4))) : ''
  return `${shown}… (${secret.length} characters, not shown)`
}

/** One line per reply the endpoint took: status, time and attempts (a failure is the integration's own log line) */
export const deliveryLine = (delivery: Delivery): string | undefined => {
  if (delivery.status < 200 || delivery.status >= 300) return undefined
  const attempts = `${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`
  const status = delivery.endpointStatus === undefined ? 'delivered' : `HTTP ${delivery.endpointStatus}`
  return `▶ reply ${delivery.messageId} → endpoint: ${status} in ${Math.round(delivery.durationMs)} ms, ${attempts}`
}

const secretFlags = [
  ['webhook-secret', 'WEBHOOK_SECRET'],
  ['signing-secret', 'SIGNING_SECRET'],
] as const

/**
 * One warning per secret given as a flag, naming the flag and never the value: npm's banner has already printed the
 * command line (`> exec tsx local/start.ts … --signing-secret whsec_…`), and shells keep it in their history.
 */
export const secretFlagWarnings = (values: Partial<Record<(typeof secretFlags)[number][0], string>>): string[] =>
  secretFlags
    .filter(([flag]) => values[flag] !== undefined && !(flag === 'signing-secret' && values[flag] === 'generate'))
    .map(
      ([flag, variable]) =>
        `Warning: --${flag} came on the command line, which npm printed above and your shell may keep in ` +
        `its history. Pass secrets in the environment instead: ${variable}=… npm start`
    )

/**
 * Whether the integration warned that it could not send this typing start or stop (the endpoint refused it, or was
 * unreachable): its warning then says what happened, and `npm start` prints no "the bot is typing" line of its own.
 */
export const typingRefused = (integrationLogs: string[], event: TypingEvent): boolean => {
  const warning = `could not send the typing indicator (${event.typing ? 'start' : 'stop'}) for message ${event.messageId}:`
  return integrationLogs.slice(-200).some((line) => line.includes(warning))
}
