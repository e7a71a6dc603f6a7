import { actions } from './actions'
import * as bp from './bp'
import { channels } from './channels'
import { register, unregister } from './setup'
import { handler } from './webhook/handler'

export default new bp.Integration({ register, unregister, actions, channels, handler })
