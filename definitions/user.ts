import type { UserDefinition } from '@botpress/sdk'

/** Botpress's own limit on a user's name (its API refuses longer): the webhook's userName and the action's name */
export const userNameMaxLength = 200

export const user = {
  tags: {
    id: { title: 'User ID', description: 'The userId your back end uses for this user' },
  },
} satisfies UserDefinition
