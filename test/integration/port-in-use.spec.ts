import { runEntryPoint } from '../support/processes';
import { createServer, type Server } from 'node:net';

/**
 * `npm start` when the port is taken: one line that names the port and what
 * to do, exit 1, and no embedded database left behind (it is never started).
 */
describe('npm start with the port already taken', () => {
  jest.setTimeout(90_000);
  let taken: Server;
  let port: number;

  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((done) => taken.listen(0, done));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((done) => taken.close(() => done())));

  it.each([
    ['with MONGODB_URI', { MONGODB_URI: 'mongodb://127.0.0.1:9/latchkey' }],
    ['without MONGODB_URI (the embedded database)', {}],
  ])('%s - one line naming the port and the way out, exit 1, no database started', async (_, env) => {
    const { code, stdout, stderr } = await runEntryPoint({ ...env, PORT: String(port) });
    const output = `${stdout}${stderr}`.trim();

    expect(code).toBe(1);
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toBe(
      `Latchkey cannot start: port ${port} is already in use. Stop the other process, or choose another port: PORT=${port + 1} npm start`,
    );
    expect(output).not.toContain('embedded database');
  });
});
