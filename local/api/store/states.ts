import type { State } from '@botpress/client'
import { newId } from '../ids'
import { copy, found, type StoreData } from './data'

export type StateType = State['type']
type Payload = Record<string, unknown>

const keyOf = (type: StateType, id: string, name: string) => `${type}/${id}/${name}`

export class States {
  public constructor(private readonly data: StoreData) {}

  public get(botId: string, type: StateType, id: string, name: string): State {
    return copy(found(this.data.bot(botId).states, keyOf(type, id, name), 'State'))
  }

  public set(botId: string, type: StateType, id: string, name: string, payload: Payload): State {
    const states = this.data.bot(botId).states
    const key = keyOf(type, id, name)
    const at = this.data.now()
    const state: State = {
      id: states.get(key)?.id ?? newId('state'),
      createdAt: states.get(key)?.createdAt ?? at,
      updatedAt: at,
      botId,
      name,
      type,
      payload,
      ...(type === 'conversation' ? { conversationId: id } : {}),
      ...(type === 'user' ? { userId: id } : {}),
    }
    states.set(key, state)
    return copy(state)
  }

  public getOrSet(botId: string, type: StateType, id: string, name: string, payload: Payload): State {
    const existing = this.data.bot(botId).states.get(keyOf(type, id, name))
    return existing ? copy(existing) : this.set(botId, type, id, name, payload)
  }

  public patch(botId: string, type: StateType, id: string, name: string, payload: Payload): State {
    const state = found(this.data.bot(botId).states, keyOf(type, id, name), 'State')
    return this.set(botId, type, id, name, { ...state.payload, ...payload })
  }
}
