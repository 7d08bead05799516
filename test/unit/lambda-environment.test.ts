import { describe, expect, it } from 'vitest';
import { shareEnvironments, withEnvironment } from '../../local/aws/lambda/environment.ts';

// Every function runs in one process locally; in AWS each has its own, with only its own variables.
describe("a function's environment in the shared local process", () => {
  const own = shareEnvironments({
    signer: { REGION_T: 'eu-west-1', KEY_T: 'signer-key', TOKEN_KEYS_DIR_T: '/keys' },
    publisher: { REGION_T: 'eu-west-1', KEY_T: 'publisher-key' },
  });
  const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

  it("reads its own values, even while another function's invocation with other values overlaps it", async () => {
    const seen = await Promise.all([
      withEnvironment(own.signer, async () => { await pause(); return process.env.KEY_T; }),
      withEnvironment(own.publisher, async () => { await pause(); return process.env.KEY_T; }),
    ]);
    expect(seen).toEqual(['signer-key', 'publisher-key']);
  });

  it('does not see a variable that only another function is given (a setting its description does not grant)', async () => {
    expect(await withEnvironment(own.publisher, async () => { await pause(); return [process.env.TOKEN_KEYS_DIR_T, 'TOKEN_KEYS_DIR_T' in process.env]; })).toEqual([undefined, false]);
    expect(await withEnvironment(own.signer, async () => process.env.TOKEN_KEYS_DIR_T)).toBe('/keys');
  });

  it("sees what every function shares and the process's own variables", () => {
    expect(withEnvironment(own.publisher, () => [process.env.REGION_T, typeof process.env.PATH])).toEqual(['eu-west-1', 'string']);
  });
});
