/**
 * Bot reactions run one after another per conversation, so that replies reach the integration in order;
 * different conversations do not wait for each other.
 */
export const createReactionQueue = (onError: (thrown: unknown) => void) => {
  const chains = new Map<string, Promise<void>>()
  const pending = new Set<Promise<void>>()

  const schedule = (key: string, work: () => Promise<void>) => {
    const next = (chains.get(key) ?? Promise.resolve()).then(work).catch(onError)
    chains.set(key, next)
    pending.add(next)
    void next.finally(() => {
      pending.delete(next)
      // Only the last link may go: a later one still needs the chain to wait on
      if (chains.get(key) === next) chains.delete(key)
    })
  }

  /** Resolves when every scheduled work has finished, including work scheduled while waiting */
  const idle = async () => {
    while (pending.size) await Promise.allSettled([...pending])
  }

  return { schedule, idle }
}
