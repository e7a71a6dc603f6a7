import { startIntegrationProcess, type IntegrationProcessOptions } from './integration-process'
import { createOperationCaller, type IntegrationContext, type Operation } from './operations'

/**
 * Botpress Cloud runs many copies of an integration and sends each operation to any of them. Here `count` processes
 * of the same bundle take the operations in turn (round-robin), so that tests can prove no copy relies on what
 * another one saw. Log lines are prefixed with the copy's number when there is more than one.
 */
export const startIntegrationCopies = async (count: number, options: IntegrationProcessOptions) => {
  if (!Number.isInteger(count) || count < 1) throw new Error(`integrationCopies must be a whole number >= 1: ${count}`)
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, index) =>
      startIntegrationProcess({
        ...options,
        onLog: (line) => options.onLog?.(count > 1 ? `#${index + 1} ${line}` : line),
      })
    )
  )
  const processes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  const failed = started.find((result) => result.status === 'rejected')
  if (failed) {
    await Promise.all(processes.map((each) => each.stop()))
    throw failed.reason
  }
  const callers = processes.map((each) => createOperationCaller(each.url))
  let next = 0

  const call = (ctx: IntegrationContext, operation: Operation, body: unknown, type?: string) => {
    const copy = next++ % callers.length
    return callers[copy]!.call(ctx, operation, body, type).then((result) => ({ ...result, copy }))
  }

  const stop = async () => {
    for (const caller of callers) caller.close()
    await Promise.all(processes.map((each) => each.stop()))
  }

  return { call, pids: processes.map((each) => each.pid), urls: processes.map((each) => each.url), stop }
}
