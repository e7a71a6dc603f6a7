import { createHash } from 'node:crypto'
import { proactiveConversation, proactiveUser, typingIndicator } from '../definitions'

// The public interfaces the integration binds, as Hub publishes them: `bp deploy` looks each up by name@version
// (`GET /v1/admin/hub/interfaces/{name}/{version}`) and uploads its id. Written out, not read from definitions/, so that
// a definition binding another version fails here as it would on Hub. The ids are stand-ins, stable per pair.

export type HubInterface = { id: string; name: string; version: string }

const standInId = (name: string, version: string) =>
  `intrfc_${createHash('sha256').update(`${name}@${version}`).digest('hex').slice(0, 26).toUpperCase()}`

const published = [
  { name: 'proactive-conversation', version: '0.0.4' },
  { name: 'proactive-user', version: '0.0.3' },
  { name: 'typing-indicator', version: '0.0.4' },
]

export const hubInterfaces: HubInterface[] = published.map(({ name, version }) => ({
  id: standInId(name, version),
  name,
  version,
}))

/** The Hub entry of exactly this name@version, or undefined (Hub answers 404) */
export const findHubInterface = (name: string, version: string): HubInterface | undefined =>
  hubInterfaces.find((known) => known.name === name && known.version === version)

/** Hub's answer to the look-up: the interface with its entities' and actions' names (the CLI reads only the id) */
export const hubInterfaceAnswer = ({ id, name, version }: HubInterface) => {
  const pkg = [proactiveConversation, proactiveUser, typingIndicator].find((each) => each.name === name)!
  const { entities = {}, actions = {} } = pkg.definition as {
    entities?: Record<string, { title?: string; description?: string }>
    actions?: Record<string, { title?: string; description?: string }>
  }
  const now = new Date(0).toISOString()
  const described = (record: Record<string, { title?: string; description?: string }>) =>
    Object.fromEntries(
      Object.entries(record).map(([key, each]) => [key, { title: each.title, description: each.description }])
    )
  return {
    interface: {
      id,
      name,
      version,
      createdAt: now,
      updatedAt: now,
      title: name,
      description: '',
      iconUrl: '',
      readmeUrl: '',
      public: true,
      entities: described(entities),
      events: {},
      actions: described(actions),
      channels: {},
    },
  }
}
