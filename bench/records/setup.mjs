// The files the bench writes under .run/bench/ (git-ignored): the catalog of
// generated services and the backend's config for one database.

import fs from 'node:fs';
import path from 'node:path';
import { OPTIONS, PORT, RUN_DIR, serviceName } from './options.mjs';

/**
 * The catalog: one group owning OPTIONS.services components, and the user the
 * load generator signs in as (user:default/guest, app-config.yaml's guest
 * sign-in), a member of that group so it may declare incidents on them; in
 * one multi-document YAML file.
 */
export function writeCatalog() {
  const docs = [
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Group',
      'metadata:',
      '  name: bench-team',
      'spec:',
      '  type: team',
      '  children: []',
    ].join('\n'),
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: User',
      'metadata:',
      '  name: guest',
      'spec:',
      '  memberOf: [bench-team]',
    ].join('\n'),
  ];
  for (let i = 0; i < OPTIONS.services; i++) {
    docs.push(
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${serviceName(i)}`,
        'spec:',
        '  type: service',
        '  lifecycle: production',
        '  owner: group:default/bench-team',
      ].join('\n'),
    );
  }
  const file = path.join(RUN_DIR, 'catalog.yaml');
  fs.writeFileSync(file, `${docs.join('\n---\n')}\n`);
  return file;
}

/** The backend config layered over app-config.yaml for one database. */
export function writeConfig(db, { catalogFile, databaseYaml }) {
  const file = path.join(RUN_DIR, db, 'app-config.bench.yaml');
  const interval = OPTIONS.processingInterval;
  fs.writeFileSync(
    file,
    `# Written by bench/records.mjs; layered over app-config.yaml.
backend:
  baseUrl: http://localhost:${PORT}
  listen:
    port: ${PORT}
    host: 127.0.0.1
  database:
${databaseYaml}

auth:
  providers:
    guest:
      # The load generator reads and writes as a person does, with a user
      # token: OpsDeck refuses service principals on the records routes. This
      # backend listens on 127.0.0.1 only and lives for one run.
      dangerouslyAllowOutsideDevelopment: true

catalog:
  # only the generated services (an array replaces app-config.yaml's list)
  locations:
    - type: file
      target: ${catalogFile}
${
  interval === undefined
    ? ''
    : `  # how often an entity is processed again (new ones are processed at once)
  processingInterval: { seconds: ${interval} }
`
}
# no example incidents and drills: the bench writes its own
opsdeckExamples: null

ops:
  # one user creates every incident: no write limit
  rateLimit:
    writes: false
`,
  );
  return file;
}
