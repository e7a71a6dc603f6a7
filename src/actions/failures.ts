import { RuntimeError, type z } from '@botpress/sdk'
import { describeFailure } from '../botpress/upstream-errors'

/**
 * Checks a bot's input before anything is created. The SDK hands action input over unchecked, so the definition's
 * own schema is applied here; a failure names every offending field, as the bot owner sees it in the Studio.
 */
export const parseInput = <TSchema extends z.ZodTypeAny>(schema: TSchema, input: unknown, what: string) => {
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue: z.ZodIssue) => `${issue.path.join('.') || 'input'}: ${issue.message}`
    )
    throw new RuntimeError(`Invalid input of ${what}: ${problems.join('; ')}`)
  }
  return parsed.data as z.infer<TSchema>
}

/**
 * Any failure of a Botpress call, as a RuntimeError in our own words (a plain Error crossing the SDK would reach the
 * bot as a generic message, and another error's message could quote any value). The SDK logs it for the bot owner.
 */
export const asRuntimeError = (thrown: unknown, what: string): RuntimeError =>
  thrown instanceof RuntimeError ? thrown : new RuntimeError(`${what} failed: ${describeFailure(thrown)}`)

/** Runs `work`, turning whatever it throws into a RuntimeError */
export const asOwnerFailure = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
  try {
    return await work()
  } catch (thrown) {
    throw asRuntimeError(thrown, what)
  }
}
