/// <reference types="node" />
// Component tests: unmount what each test rendered, so tests never see each other's DOM; and give
// findBy*/waitFor the time a busy two-core CI machine needs (the default second is too tight),
// grown with the machine's load as the API suites' limits are.
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { underLoad } from '../../test/helpers/load.ts';

configure({ asyncUtilTimeout: underLoad(5_000) });
afterEach(() => cleanup());
