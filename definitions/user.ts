import type { UserDefinition } from '@botpress/sdk'

export const user = {
  tags: {
    id: { title: 'User ID', description: 'The userId your back end uses for this user' },
  },
} satisfies UserDefinition
