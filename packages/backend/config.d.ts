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
}
