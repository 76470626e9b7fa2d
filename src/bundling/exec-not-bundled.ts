// Stands in for @actions/exec in the bundle (tsconfig.json maps "@actions/exec" here).
// @actions/core imports it only for core.platform, the runner's OS details, which this action
// never asks for; evaluating it loaded child_process, dgram and @actions/io into every step's
// start-up (see docs/performance.md).
export function getExecOutput(): never {
  throw new Error('@actions/exec is not bundled with this action: core.platform is unavailable')
}
