// Shared by the definition and the code (user-agent), so the version is written once.
export const integrationName = 'messaging-api'
export const integrationVersion = '1.0.0'
