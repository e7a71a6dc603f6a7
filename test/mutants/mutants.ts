/**
 * Promised behaviours that once had no test, each as a single change to the source that breaks it (a mutant) and the
 * test files that must fail on it. `npm run mutants` applies them one at a time (see run.ts). A `search` must occur
 * exactly once in its file: when the code moves, update the mutant rather than drop it.
 */
export type Mutant = { name: string; file: string; search: string; replace: string; tests: string[] }

export const mutants: Mutant[] = [
  {
    name: 'cursor: any spelling of the same bytes accepted (canonical check removed)',
    file: 'src/webhook/cursor.ts',
    search: "  if (bytes.toString('base64url') !== cursor) {\n    throw invalidCursor()\n  }\n",
    replace: '',
    tests: ['src/webhook/cursor.test.ts'],
  },
  {
    name: 'hasMore true when limit equals the messages left (one page)',
    file: 'src/botpress/history.ts',
    search: 'hasMore: all.length > limit',
    replace: 'hasMore: all.length >= limit',
    tests: ['src/botpress/history.test.ts'],
  },
  {
    name: 'hasMore true when limit equals the messages left (windows)',
    file: 'src/botpress/history.ts',
    search: 'hasMore: exhausted || after().length > messages.length',
    replace: 'hasMore: exhausted || after().length >= messages.length',
    tests: ['src/botpress/history.test.ts'],
  },
  {
    name: 'call budget of one pull raised tenfold',
    file: 'src/botpress/history.ts',
    search: 'const maxCallsPerPull = 48',
    replace: 'const maxCallsPerPull = 480',
    tests: ['src/botpress/history.test.ts'],
  },
  {
    name: "pollUntil's last sleep not clamped to the deadline",
    file: 'src/webhook/long-poll.ts',
    search:
      'return Math.min(left, Math.max(every[phaseOf(decision)], left - (pollsLeft - 1) * pollSchedule.reserveEveryMs))',
    replace: 'return Math.max(every[phaseOf(decision)], left - (pollsLeft - 1) * pollSchedule.reserveEveryMs)',
    tests: ['src/webhook/long-poll.test.ts'],
  },
  {
    name: "a pull's wait counted from after the look-up, not from the request's arrival",
    file: 'src/webhook/routes/pull-messages.ts',
    search: 'receivedAt + (query.waitMs ?? 0)',
    replace: 'Date.now() + (query.waitMs ?? 0)',
    tests: ['test/e2e/pull.test.ts'],
  },
  {
    name: "POST ?wait counted from after storing the message, not from the request's arrival",
    file: 'src/webhook/await-replies.ts',
    search: 'await pollUntil(poll, done, receivedAt + waitMs, signals)',
    replace: 'await pollUntil(poll, done, Date.now() + waitMs, signals)',
    tests: ['test/e2e/long-poll.test.ts'],
  },
  {
    name: 'no new look-up when a cursor fails on a cached conversation',
    file: 'src/webhook/routes/pull-messages.ts',
    search: '    if (checked) {\n      throw thrown\n    }\n    position = positionIn(await lookUp())\n',
    replace: '    throw thrown\n',
    tests: ['test/e2e/two-copies.test.ts'],
  },
  {
    name: "a pulled message's createdAt taken from updatedAt",
    file: 'src/webhook/items.ts',
    search: 'createdAt: message.createdAt,',
    replace: 'createdAt: message.updatedAt,',
    tests: ['test/e2e/pull.test.ts'],
  },
  {
    name: '?wait replies go on past the next caller message',
    file: 'src/webhook/await-replies.ts',
    search: 'const fresh = firstIncoming < 0 ? messages : messages.slice(0, firstIncoming)',
    replace: "const fresh = messages.filter((message) => directionOf(message, ctx.botUserId) === 'outgoing')",
    tests: ['test/e2e/long-poll.test.ts'],
  },
  {
    name: "getOrCreateUser action: a new user's name set by an updateUser after creating it",
    file: 'src/botpress/proactive.ts',
    search: 'await getOrCreateUser(client, userId, profile)',
    replace: 'await getOrCreateUser(client, userId)',
    tests: ['test/e2e/bot-writes-first.test.ts'],
  },
  {
    name: 'messages of one millisecond re-sorted by Botpress id',
    file: 'src/botpress/history.ts',
    search: '.sort((a, b) => a.at - b.at || b.listed - a.listed)',
    replace: '.sort((a, b) => a.at - b.at || (a.message.id < b.message.id ? -1 : 1))',
    tests: ['src/botpress/history.test.ts', 'test/e2e/pull-paging.test.ts'],
  },
  {
    name: 'messages of one millisecond given in the order Botpress listed them (newest first)',
    file: 'src/botpress/history.ts',
    search: '.sort((a, b) => a.at - b.at || b.listed - a.listed)',
    replace: '.sort((a, b) => a.at - b.at || a.listed - b.listed)',
    tests: ['src/botpress/history.test.ts', 'test/e2e/pull-paging.test.ts'],
  },
  {
    name: 'npm start: a launcher that is a zombie counted as running (npm killed, its parent never reaps it)',
    file: 'local/process-tree.ts',
    search: "  return procStat(pid)?.state !== 'Z'\n",
    replace: '  return true\n',
    tests: ['test/e2e/npm-start-stop.test.ts'],
  },
  {
    name: 'npm start: --port 0 falls back to the default port 3000',
    file: 'local/start.ts',
    search: 'const port = Number(values.port ?? env.PORT ?? 3000)',
    replace: 'const port = Number(values.port ?? env.PORT ?? 3000) || 3000',
    tests: ['test/e2e/npm-start.test.ts'],
  },
  {
    name: 'built-in endpoint: a signature that does not verify counted valid',
    file: 'local/viewer/viewer.ts',
    search: '  } catch {\n    return false\n  }',
    replace: '  } catch {\n    return true\n  }',
    tests: ['test/browser/chat-signature.test.ts'],
  },
  {
    name: "inspector: 'signature verified' shown when the check result is missing",
    file: 'local/chat/browser/inspector.ts',
    search:
      "event.signatureValid === undefined\n          ? h('span', { class: 'muted' }, 'unsigned')\n          : event.signatureValid",
    replace:
      "event.signatureValid === false\n          ? h('span', { class: 'bad' }, 'signature INVALID ✗')\n          : true",
    tests: ['test/browser/chat-typing.test.ts'],
  },
  {
    name: 'markdown: the allowed-scheme pattern not anchored (a javascript: link containing http allowed)',
    file: 'local/chat/browser/markdown.ts',
    search: '/^(https?:|mailto:)/i',
    replace: '/(https?:|mailto:)/i',
    tests: ['local/chat/browser/markdown.test.ts'],
  },
  {
    name: 'bot URLs: any scheme but javascript: linked and loaded',
    file: 'local/chat/browser/urls.ts',
    search: "parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:') ? parsed.href : undefined",
    replace: "parsed && parsed.protocol !== 'javascript:' ? parsed.href : undefined",
    tests: ['test/browser/chat-page.test.ts'],
  },
  {
    name: "typing request's webhook-id built from the message id and start/stop",
    file: 'src/channels/typing.ts',
    search: 'buildSignedRequest(ctx.configuration, `typing_${randomUUID()}`, body)',
    replace: "buildSignedRequest(ctx.configuration, `typing_${messageId}_${payload.typing ? 'start' : 'stop'}`, body)",
    tests: ['test/e2e/typing.test.ts'],
  },
  {
    name: 'typing POST given a fresh 2 s after the look-ups',
    file: 'src/channels/typing.ts',
    search: 'const left = deadline - Date.now()',
    replace: 'const left = budgetMs',
    tests: ['src/channels/typing.test.ts'],
  },
  {
    name: 'POST ?wait ignores the bot turn (quiet period only)',
    file: 'src/webhook/await-replies.ts',
    search: '    if (turn.startedAt !== undefined) return false\n',
    replace: '',
    tests: ['test/e2e/wait-turn.test.ts'],
  },
  {
    name: 'the wait schedule never dense (the caller activity ignored)',
    file: 'src/webhook/long-poll.ts',
    search: "if (callerActiveAt !== undefined && now - callerActiveAt < pollSchedule.replyDueForMs) return 'due'",
    replace: '',
    tests: ['src/webhook/long-poll.test.ts', 'test/e2e/wait-turn.test.ts'],
  },
  {
    name: 'a new event leaves no mark on its conversation (GET waits never see it)',
    file: 'src/botpress/events.ts',
    search: '  await markCallerEvent(client, conversation.id, created.createdAt, warn)\n',
    replace: '',
    tests: ['test/e2e/events-in.test.ts', 'test/e2e/wait-turn.test.ts'],
  },
  {
    name: "a GET wait ignores the caller's event mark it reads",
    file: 'src/webhook/routes/pull-messages.ts',
    search: '...withCallerEvent(fromMessages, callerEventAtOf(conversation!)),',
    replace: '...fromMessages,',
    tests: ['test/e2e/wait-turn.test.ts'],
  },
  {
    name: 'an idle GET wait never reads the conversation',
    file: 'src/webhook/long-poll.ts',
    search: "return conversationReadAt >= now ? 'messages' : 'conversation'",
    replace: "return 'messages'",
    tests: ['src/webhook/long-poll.test.ts', 'test/e2e/wait-turn.test.ts'],
  },
]
