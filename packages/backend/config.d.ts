export interface Config {
  ops?: {
    permissions?: {
      /**
       * Entity refs of the groups whose members may run every OpsDeck
       * operation (declare incidents, record drills, roll back, fail over)
       * on every entity, for example `group:default/platform-admins`. Any
       * other user may run them only on the entities their groups own.
       * @visibility backend
       */
      adminGroups?: string[];
    };
  };
  opsdeckExamples?: {
    /**
     * YAML file of example incidents and drills (examples/ops-records.yaml),
     * relative to the backend's working directory. The example backend writes
     * them through the ops API to every listed service that has none yet.
     * @visibility backend
     */
    records?: string;
    /**
     * A token of `backend.auth.externalAccess` the example CI deployments are
     * posted with (POST /api/ops/deployments), as CI would post them, so they
     * are recorded as made by its subject. Without it they are recorded as the
     * ops plugin's.
     * @visibility secret
     */
    ciToken?: string;
  };
}
