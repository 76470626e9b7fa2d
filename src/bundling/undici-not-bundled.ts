// Stands in for undici in the bundle (tsconfig.json maps "undici" here). @actions/http-client
// imports undici only for getAgentDispatcher(), a proxy dispatcher for fetch(), which neither this
// action nor @actions/core calls; evaluating undici cost ~45 ms of every step's start-up (see the
// README's Performance section). Requests go through http-client's getAgent() instead.
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- it replaces undici's class of that name
export class ProxyAgent {
  constructor() {
    throw new Error('undici is not bundled with this action: HttpClient.getAgentDispatcher() is unavailable')
  }
}
