// Emscripten's getenv reads ENV, which under node does not start from process.env.
// Copy the environment in before main runs, so CUNWU_SEED and friends work in WASM too.
Module['preRun'] = Module['preRun'] || [];
Module['preRun'].push(function () {
  if (typeof process === 'object' && process.env) {
    for (var key in process.env) ENV[key] = process.env[key];
  }
});
