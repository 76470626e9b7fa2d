// Stands in for @actions/http-client in the bundle (tsconfig.json maps "@actions/http-client"
// here). @actions/core imports it at start-up for OIDC tokens, which this action never asks for,
// and it imports http, tunnel and assert with it; this action needs it only for a proxy agent
// when https_proxy applies. The bundler bundles the real package behind this require, and runs it
// on the first `new HttpClient(…)`: only when a proxy is set (see src/katapult/transport.ts).
'use strict'

let real
function load() {
  // A path, not the package's name, which tsconfig.json maps here.
  real ??= require('../../../node_modules/@actions/http-client/lib/index.js')
  return real
}

exports.HttpClient = function HttpClient(...args) {
  return new (load().HttpClient)(...args)
}
