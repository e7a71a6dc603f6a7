export { configuration } from './configuration'
export { channels } from './channels'
export { user } from './user'
export { integrationName, integrationVersion } from './metadata'
