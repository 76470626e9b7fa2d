// The types of what http-client-on-demand.cjs stands in for: the real package's.
export { HttpClient } from '../../../node_modules/@actions/http-client/lib/index.js'
