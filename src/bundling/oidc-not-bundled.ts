// Stands in for @actions/http-client where @actions/core imports it (tsconfig.json maps
// "@actions/http-client" here): core uses its HttpClient only for OIDC tokens, which this action
// never asks for, and importing it would put http-client and its dependencies into every step's
// start-up (see docs/performance.md). The proxy path takes only http-client's proxy rules, from a
// chunk of its own (src/katapult/proxy-tunnel.ts).
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- it replaces http-client's class of that name
export class HttpClient {
  constructor() {
    throw new Error('@actions/http-client is not bundled for @actions/core: core.getIDToken() is unavailable')
  }
}
