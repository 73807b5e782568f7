export interface Config {
  ops?: {
    /**
     * Base URL of the annotation reference that readiness items link to, with
     * one anchor per annotation. Defaults to the OpsDeck page of the app,
     * `<app.baseUrl>/ops/annotations`.
     * @visibility frontend
     */
    documentationUrl?: string;
  };
}
