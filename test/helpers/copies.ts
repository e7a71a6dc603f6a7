import { expect } from 'vitest'
import type { LocalRuntime } from '../../local'
import { send } from './caller'

/** The copy of the integration that served the last operation (see `integrationCopies`: two take turns). */
export const lastCopy = (runtime: LocalRuntime) => runtime.operations.at(-1)!.copy

/** Makes `copy` the one to serve the next operation of a two-copy runtime (a refused request is an operation too). */
export const nextOn = async (runtime: LocalRuntime, copy: number) => {
  if ((runtime.operations.length === 0 ? 0 : (lastCopy(runtime) + 1) % 2) === copy) return
  await send(runtime, { token: null, body: {} })
  expect(lastCopy(runtime)).not.toBe(copy)
}
