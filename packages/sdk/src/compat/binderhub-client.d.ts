declare module '@jupyterhub/binderhub-client/client.js' {
  export class BinderRepository {
    constructor(providerSpec: string, buildEndpointUrl: URL, options?: { buildOnly?: boolean });
    fetch(): AsyncIterable<unknown>;
    close(): void;
  }
}
