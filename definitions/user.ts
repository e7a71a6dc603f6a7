import type { UserDefinition } from '@botpress/sdk'

export const user = {
  // A bot may create the user before it ever wrote: Botpress asks the integration, which finds it by its tag `id`
  creation: { enabled: true, requiredTags: ['id'] },
  tags: {
    id: { title: 'User ID', description: 'The userId your back end uses for this user' },
  },
} satisfies UserDefinition
