// Any console call in a test run is a failure: libraries never log, tests stay quiet.
for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
  console[level] = (...args) => {
    throw new Error(`console.${level} called during a test: ${String(args[0]).slice(0, 200)}`)
  }
}
