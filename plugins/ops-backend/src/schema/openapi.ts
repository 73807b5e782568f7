// The OpenAPI document of /api/ops lives in ops-common, with the generated
// types and the client; the router validates requests against it.
export { opsApiSpec as spec } from '@opsdeck/plugin-ops-common';
