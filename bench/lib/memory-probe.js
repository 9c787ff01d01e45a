// Preloaded into the app by `npm run bench -- --memory` (node -r): appends
// process.memoryUsage() every 200 ms to memory.jsonl in the app's working
// directory (the runner's temporary directory). Plain CommonJS, because the
// app runs as `node dist/main.js`, without ts-node.
const { appendFileSync } = require('node:fs');
const { join } = require('node:path');

const file = join(process.cwd(), 'memory.jsonl');
setInterval(() => appendFileSync(file, `${JSON.stringify({ t: Date.now(), ...process.memoryUsage() })}\n`), 200).unref();
