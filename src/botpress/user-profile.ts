import type { User } from '@botpress/client'
import type { BotpressClient } from './client'

/** The caller's optional `userName` and `userPictureUrl`; absent ones leave the Botpress user as it is. */
export type UserProfile = { name?: string; pictureUrl?: string }

const differences = (user: User, profile: UserProfile): UserProfile => {
  const changed: UserProfile = {}
  if (profile.name !== undefined && profile.name !== user.name) {
    changed.name = profile.name
  }
  if (profile.pictureUrl !== undefined && profile.pictureUrl !== user.pictureUrl) {
    changed.pictureUrl = profile.pictureUrl
  }
  return changed
}

/**
 * The user with the caller's profile: one `updateUser` when a given field differs from what Botpress holds (or, for
 * a cached user, held when cached), none otherwise. A new user already got the profile on creation.
 */
export const withProfile = async (client: BotpressClient, user: User, profile: UserProfile): Promise<User> => {
  const changed = differences(user, profile)
  if (Object.keys(changed).length === 0) {
    return user
  }
  const { user: updated } = await client.updateUser({ id: user.id, ...changed })
  return typeof updated === 'object' && updated !== null && updated.id === user.id ? updated : { ...user, ...changed }
}
