// Runs ops:postgres:failover in a process of its own, for the test that kills
// the task between fence and promote: the process sends itself SIGKILL right
// after the step named in the spec is recorded as succeeded, so nothing after
// it runs (no finally, no cleanup), as when a backend host dies. Checkpoints
// and the record writes go to files the retry in the test process reads.
//
//   node --require @backstage/cli/config/nodeTransform.cjs failoverChild.ts <spec.json>

import fs from 'node:fs';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createPostgresFailoverAction } from '../actions/postgres/failover';
import { RecordingOpsClient } from '../testUtils/RecordingOpsClient';
import { scriptActionContext } from '../testUtils/scriptContext';

export interface FailoverChildSpec {
  config: object;
  entity: Entity;
  input: Record<string, unknown>;
  checkpointsFile: string;
  callsFile: string;
  killAfterStep: string;
}

async function main() {
  const spec: FailoverChildSpec = JSON.parse(
    fs.readFileSync(process.argv[2], 'utf8'),
  );
  const opsClient = new RecordingOpsClient({
    onCall: call =>
      fs.appendFileSync(spec.callsFile, `${JSON.stringify(call)}\n`),
    onStep: step => {
      if (step.name === spec.killAfterStep && step.status === 'succeeded') {
        process.kill(process.pid, 'SIGKILL');
      }
    },
  });
  const catalog = {
    getEntityByRef: async () => spec.entity,
  } as unknown as CatalogService;
  const action = createPostgresFailoverAction({
    config: new ConfigReader(spec.config),
    catalog,
    permissions: mockServices.permissions(),
    opsClient,
  });
  const { ctx } = scriptActionContext({
    input: spec.input,
    taskId: 'killed-task',
    checkpointsFile: spec.checkpointsFile,
  });
  await action.handler(ctx);
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
