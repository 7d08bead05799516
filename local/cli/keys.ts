import { rotateLocalKey } from '../../functions/shared/tokens/local-keys.ts';
import { dataFiles } from '../data-dir.ts';
import { projectDataDir } from './project.ts';

/** `securetask keys rotate`: a new signing key; the older ones keep verifying what they signed. */
export async function rotateKeys(): Promise<number> {
  const kid = await rotateLocalKey(dataFiles(projectDataDir()).keysDir);
  console.log(`new signing key ${kid}; tokens signed by older keys stay valid until they expire`);
  return 0;
}
