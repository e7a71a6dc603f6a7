import { resolve } from 'node:path'
import type { BotFunction } from './types'

/** Loads a bot script whose default export is a BotFunction (run under tsx, so TypeScript works too) */
export const loadBot = async (file: string): Promise<BotFunction> => {
  const loaded = (await import(resolve(file))) as { default?: unknown }
  // A CommonJS module compiled from `export default` nests the function one level deeper
  const bot = typeof loaded.default === 'function' ? loaded.default : (loaded.default as { default?: unknown })?.default
  if (typeof bot !== 'function') {
    throw new Error(`${file} must have a default export: (incoming) => replies`)
  }
  return bot as BotFunction
}
