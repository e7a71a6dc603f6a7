import type { Request } from '@botpress/sdk'

/** A webhook request as the SDK hands it to the handler (for unit tests): a POST on the root unless overridden */
export const webhookRequest = (overrides: Partial<Request>): Request => ({
  method: 'POST',
  path: '/',
  query: '',
  headers: {},
  ...overrides,
})
