import { ApiError } from '../errors'

export type Tags = Record<string, string>

export type DeclaredTags = {
  user: string[]
  channels: Record<string, { conversation: string[]; message: string[] }>
}

// Without discriminateByTags every given tag must match; with it, only the listed ones
export const matches = (existing: Tags, wanted: Tags, discriminateByTags?: string[]) =>
  (discriminateByTags ?? Object.keys(wanted)).every((key) => existing[key] === wanted[key])

// An empty value unsets a tag, as in Botpress
export const mergeTags = (current: Tags, update: Tags | undefined): Tags => {
  const merged = { ...current, ...update }
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== ''))
}

/** Refuses the tags (and discriminateByTags) the integration did not declare, as Botpress does */
export class TagRules {
  public constructor(
    private readonly integrationName: string,
    private readonly declared: DeclaredTags
  ) {}

  public user(tags: Tags | undefined, discriminateByTags?: string[]) {
    this.check('users', tags, this.declared.user, discriminateByTags)
  }

  public conversation(channel: string, tags: Tags | undefined, discriminateByTags?: string[]) {
    this.check('conversations', tags, this.channel(channel).conversation, discriminateByTags)
  }

  public message(channel: string, tags: Tags | undefined, discriminateByTags?: string[]) {
    this.check('messages', tags, this.channel(channel).message, discriminateByTags)
  }

  private channel(channel: string) {
    const declared = this.declared.channels[channel]
    if (!declared) {
      throw new ApiError(
        'InvalidPayload',
        `Channel "${channel}" is not declared by integration "${this.integrationName}"`
      )
    }
    return declared
  }

  private check(kind: string, tags: Tags | undefined, declared: string[], discriminateByTags: string[] = []) {
    const undeclared = [...Object.keys(tags ?? {}), ...discriminateByTags].filter((tag) => !declared.includes(tag))
    if (undeclared.length) {
      throw new ApiError(
        'InvalidPayload',
        `Tag(s) ${undeclared.map((tag) => `"${tag}"`).join(', ')} not declared on ${kind} by integration "${this.integrationName}" (declared: ${declared.join(', ') || 'none'})`
      )
    }
  }
}
