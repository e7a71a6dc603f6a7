import * as bp from './bp'

export default new bp.Integration({
  register: async () => {},
  unregister: async () => {},
  actions: {},
  channels: {
    channel: {
      messages: {} as any,
    },
  },
  handler: async ({ ctx }) => {
    const url: string = ctx.configuration.responseEndpointURL
    // @ts-expect-error unknown key
    ctx.configuration.nope
    return { status: 200, body: url }
  },
})
