import { configFromEnv, tokenKeyRetirementSeconds } from '../../api/config.ts';
import { rotateLocalKey } from '../../functions/shared/tokens/local-keys.ts';
import { dataFiles } from '../data-dir.ts';
import { projectDataDir } from './project.ts';

/** `securetask keys rotate`: a new signing key; the previous one verifies what it signed until that has expired. */
export async function rotateKeys(): Promise<number> {
  const retireAfterSeconds = tokenKeyRetirementSeconds(configFromEnv());
  const kid = await rotateLocalKey(dataFiles(projectDataDir()).keysDir, { retireAfterSeconds });
  console.log(`new signing key ${kid}; the previous key verifies the tokens it signed for ${retireAfterSeconds} s more, until they have expired, then retires`);
  return 0;
}
