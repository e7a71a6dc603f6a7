import type { User } from '@botpress/client'
import { newId } from '../ids'
import { copy, findOrCreate, found, listWhere, type StoreData } from './data'
import { newestFirst, type ListFilter, type Page } from './pages'
import { matches, mergeTags, type Tags } from './tags'

type UserInput = { tags: Tags; name?: string; pictureUrl?: string }

export class Users {
  public constructor(private readonly data: StoreData) {}

  public create(botId: string, input: UserInput): User {
    this.data.tags.user(input.tags)
    const at = this.data.now()
    const user: User = { id: newId('user', at), createdAt: at, updatedAt: at, tags: mergeTags({}, input.tags) }
    if (input.name !== undefined) user.name = input.name
    if (input.pictureUrl !== undefined) user.pictureUrl = input.pictureUrl
    this.data.bot(botId).users.set(user.id, user)
    this.data.stored(user.id)
    return copy(user)
  }

  public getOrCreate(botId: string, input: UserInput & { discriminateByTags?: string[] }): User {
    this.data.tags.user(input.tags, input.discriminateByTags)
    return findOrCreate(
      this.data.bot(botId).users,
      (user) => matches(user.tags, input.tags, input.discriminateByTags),
      () => this.create(botId, input)
    )
  }

  public get(botId: string, id: string): User {
    return copy(found(this.data.bot(botId).users, id, 'User'))
  }

  public list(botId: string, filter: ListFilter & { tags?: Tags }): Page<User> {
    const kept = listWhere(this.data.bot(botId).users, (user) => matches(user.tags, filter.tags ?? {}))
    return newestFirst(kept, filter, this.data)
  }

  public update(botId: string, id: string, input: { tags?: Tags; name?: string | null; pictureUrl?: string | null }) {
    const user = found(this.data.bot(botId).users, id, 'User')
    this.data.tags.user(input.tags)
    user.tags = mergeTags(user.tags, input.tags)
    // null removes the field, undefined leaves it as it is
    for (const key of ['name', 'pictureUrl'] as const) {
      const value = input[key]
      if (value === null) delete user[key]
      else if (value !== undefined) user[key] = value
    }
    user.updatedAt = this.data.now()
    return copy(user)
  }

  /** Like deleting a user in Botpress; the messages it wrote stay */
  public delete(botId: string, id: string): void {
    const users = this.data.bot(botId).users
    found(users, id, 'User')
    users.delete(id)
  }

  /** The bot's own user: messages it writes are `outgoing`, every other message is `incoming` */
  public botUser(botId: string): User {
    const id = this.data.botUserIds.get(botId) ?? this.create(botId, { tags: {} }).id
    this.data.botUserIds.set(botId, id)
    return this.get(botId, id)
  }
}
