import { expect } from 'vitest'
import type { LocalRuntime } from '../../local'
import { send } from './caller'

/**
 * With two copies of the integration taking operations in turn: which copy served the last operation, and a way to
 * make a given copy serve the next one (a refused request is an operation too), so that a test is the case it says.
 */
export const copyTurns = (runtime: () => LocalRuntime) => {
  const lastCopy = () => runtime().operations.at(-1)!.copy
  const nextOn = async (copy: number) => {
    const { operations } = runtime()
    if ((operations.length === 0 ? 0 : (lastCopy() + 1) % 2) === copy) return
    await send(runtime(), { token: null, body: {} })
    expect(lastCopy()).not.toBe(copy)
  }
  return { lastCopy, nextOn }
}
