// Prepended outside the Emscripten module (--extern-pre-js): Emscripten 3.1.6's node code calls
// require() and reads __dirname, which an ES module does not have.
import { createRequire } from 'module';
import { dirname } from 'path';
import { fileURLToPath } from 'url';
const require = createRequire(import.meta.url);
const __filename = fileURLToPath(import.meta.url);
const __dirname = dirname(__filename);
