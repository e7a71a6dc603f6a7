import { statSync } from 'node:fs'
import { startLocalRuntime } from '../local'
import { createCaller } from './caller'
import { coldStart } from './cold-start'
import { measureInbound, type InboundPlan } from './inbound'
import { measureOutbound, startFastEndpoint, type OutboundPlan } from './outbound'
import type { Progress } from './progress'
import { measurePull } from './pull'
import { measureRefusedTokens } from './refused-tokens'
import type { VariantFigures } from './report'
import { measureEvents } from './events'
import { measureTyping } from './typing'
import { measureWaits } from './waits'

export type VariantPlan = InboundPlan & OutboundPlan & { coldStartRuns: number }

/** Whether the bundle is this project's (the baseline of v0.2 has no typing indicator, no events) */
const bundleHasTyping = (name: string) => name === 'after'
const bundleHasEvents = bundleHasTyping

/** Every figure of one bundle, run through the local runtime on 127.0.0.1 */
export const runVariant = async (
  name: string,
  bundlePath: string,
  plan: VariantPlan,
  progress: Progress
): Promise<VariantFigures> => {
  progress.step(`${name}: starting the local runtime and the integration`)
  const endpoint = await startFastEndpoint()
  const runtime = await startLocalRuntime({
    bundlePath,
    bot: false,
    quiet: true,
    // The runtime's own report of each delivery attempt would cost the integration two writes per attempt, and only
    // for requests carrying a webhook-id (the baseline's carry none): it would weigh on one column alone
    traceEndpoint: false,
    apiLatencyMs: plan.latencyMs,
    configuration: { responseEndpointURL: endpoint.url },
    implementsTyping: bundleHasTyping(name),
  })
  const caller = createCaller(runtime.webhookUrl, runtime.personalAccessToken)
  try {
    const inbound = await measureInbound(runtime, caller, plan, progress, name)
    const outbound = await measureOutbound(runtime, caller, endpoint, plan, progress, name)
    const pull = await measurePull(runtime, caller, plan, progress, name)
    const typing = await measureTyping(runtime, caller, endpoint, progress, name, bundleHasTyping(name))
    const refusedTokens = await measureRefusedTokens(runtime, caller, progress, name)
    const events = await measureEvents(runtime, caller, endpoint, progress, name, bundleHasEvents(name))
    caller.close()
    await runtime.stop()
    // The v0.2 baseline has no pull route
    const waits = bundleHasTyping(name) ? await measureWaits(bundlePath, plan, progress, name) : undefined

    progress.step(`${name}: cold start, ${plan.coldStartRuns} runs`)
    const cold = await coldStart(bundlePath, plan.coldStartRuns, (done) => progress.tick(done, plan.coldStartRuns))
    const bundleKB = statSync(bundlePath).size / 1024
    return {
      name,
      bundleKB,
      coldStartMs: cold.ms,
      coldStartCpuMs: cold.cpuMs,
      inbound,
      outbound,
      pull,
      typing,
      refusedTokens,
      waits,
      events,
    }
  } finally {
    caller.close()
    await runtime.stop()
    await endpoint.close()
  }
}
