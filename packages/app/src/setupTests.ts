import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// `make test` runs these beside the PostgreSQL, Prometheus and 1 GB drill
// suites on two cores: a render that waits for the CPU is slow, not wrong.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });
