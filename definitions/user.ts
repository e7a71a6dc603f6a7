import type { UserDefinition } from '@botpress/sdk'

/** Botpress's own limit on a user's name (its API refuses longer): the webhook's userName and the action's name */
export const userNameMaxLength = 200

export const user = {
  // A bot may create the user before it ever wrote: Botpress asks the integration, which finds it by its tag `id`
  creation: { enabled: true, requiredTags: ['id'] },
  tags: {
    id: { title: 'User ID', description: 'The userId your back end uses for this user' },
  },
} satisfies UserDefinition
