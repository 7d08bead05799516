// Component tests: unmount what each test rendered, so tests never see each other's DOM; and give
// findBy*/waitFor the time a busy two-core CI machine needs (the default second is too tight).
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

configure({ asyncUtilTimeout: 5_000 });
afterEach(() => cleanup());
