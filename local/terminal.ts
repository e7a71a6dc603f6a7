// How `npm start` writes to the terminal: colour only where a person reads it.

/** Colour codes only on a terminal, and not when NO_COLOR is set (https://no-color.org): never into a file or a pipe */
export const wantsColour = (stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean =>
  stream.isTTY === true && !env.NO_COLOR

/** Dimmed text on standard output (the integration's own log lines), plain when colour is not wanted */
export const dim = (text: string): string => (wantsColour(process.stdout) ? `\x1b[2m${text}\x1b[0m` : text)
