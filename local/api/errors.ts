import { randomBytes } from 'node:crypto'
import type { ErrorType } from '@botpress/client'

export type ApiErrorBody = { id: string; code: number; type: ErrorType; message: string }

const STATUS: Partial<Record<ErrorType, number>> = {
  Unauthorized: 401,
  Forbidden: 403,
  ResourceNotFound: 404,
  MethodNotFound: 405,
  InvalidPayload: 400,
  ReferenceNotFound: 400,
  PayloadTooLarge: 413,
  RateLimited: 429,
  Internal: 500,
  Unknown: 500,
  OperationTimeout: 504,
}

const TYPE_BY_STATUS: Record<number, ErrorType> = {
  400: 'InvalidPayload',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'ResourceNotFound',
  405: 'MethodNotFound',
  413: 'PayloadTooLarge',
  429: 'RateLimited',
  504: 'OperationTimeout',
}

/** Thrown by route handlers; the server turns it into Botpress's error body */
export class ApiError extends Error {
  public constructor(
    public readonly type: ErrorType,
    message: string
  ) {
    super(message)
  }

  public get status(): number {
    return STATUS[this.type] ?? 500
  }
}

// Same form as @botpress/client's own error ids: err_<yyyymmddhhmmss>x<8 hex>
const errorId = () =>
  `err_${
    new Date()
      .toISOString()
      .replace(/[-:TZ]/g, '')
      .split('.')[0]
  }x${randomBytes(4).toString('hex').toUpperCase()}`

export const errorBody = (type: ErrorType, message: string): ApiErrorBody => ({
  id: errorId(),
  code: STATUS[type] ?? 500,
  type,
  message,
})

/** The body Botpress would send for a bare status, used when a fault hook gives no body */
export const errorBodyForStatus = (status: number): ApiErrorBody => {
  const type = TYPE_BY_STATUS[status] ?? (status >= 500 ? 'Internal' : 'InvalidPayload')
  return { ...errorBody(type, `Injected fault: HTTP ${status}`), code: status }
}
