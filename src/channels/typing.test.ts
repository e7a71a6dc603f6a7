import { afterAll, beforeAll, expect, it } from 'vitest'
import { startLocalRuntime, type LocalRuntime } from '../../local'
import { startEndpoint, type Endpoint } from '../../test/helpers/endpoint'
import { writeFromElsewhere } from '../../test/helpers/harness'
import type * as bp from '../bp'
import { botpressClientFor } from '../botpress/client'
import type { AttemptPlan } from './delivery'
import { sendTyping, typingBudgetMs } from './typing'

// sendTyping run here against the local Botpress API and a real endpoint, to see what it decided: the time it gave
// the POST once the look-ups were done (not a gap timed on a loaded machine).
let runtime: LocalRuntime
let endpoint: Endpoint
beforeAll(async () => {
  runtime = await startLocalRuntime({ quiet: true, bot: false })
  process.env.BP_API_URL = runtime.apiUrl
  endpoint = await startEndpoint(() => 'hang', { openapi: false })
})
afterAll(async () => {
  await runtime?.stop()
  await endpoint?.close()
})

it('gives the POST what is left of the 2 s budget after slow look-ups, not a fresh 2 s', async () => {
  const { conversation, message } = await writeFromElsewhere(runtime)
  const scope = { botId: runtime.botId, integrationId: runtime.integrationId, integrationAlias: 'typing-budget' }
  const ctx = { ...scope, configuration: { responseEndpointURL: endpoint.url, typingIndicator: true } } as bp.Context
  const warnings: string[] = []
  const logger = { forBot: () => ({ warn: (line: string) => warnings.push(line) }) } as unknown as bp.Logger
  const lookUpMs = 1_200
  runtime.setFault((call) =>
    call.route === 'getConversation' || call.route === 'getMessage' ? { delayMs: lookUpMs } : undefined
  )
  const plans: AttemptPlan[] = []
  const client = botpressClientFor(scope, runtime.personalAccessToken)
  const signal = { ctx, client, logger, conversationId: conversation.id, messageId: message.id }
  await sendTyping({ ...signal, payload: { typing: true } }, typingBudgetMs, (plan) => plans.push(plan))

  expect(endpoint.received).toHaveLength(1)
  // One attempt, given at most the budget less the look-ups' time (their delay is a floor: they took at least that)
  expect(plans).toHaveLength(1)
  expect(plans[0]!.timeoutMs).toBeGreaterThan(0)
  expect(plans[0]!.timeoutMs).toBeLessThanOrEqual(typingBudgetMs - lookUpMs)
  expect(warnings).toEqual([
    expect.stringMatching(/could not send the typing indicator \(start\).*ETIMEDOUT, not retried/),
  ])
})
