import { CacheService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { OPSDECK_ANNOTATIONS } from '@opsdeck/plugin-ops-common';
import { PrometheusClient, PrometheusQueryCounter } from './PrometheusClient';

/** Below the 5 s in which a card must say that Prometheus is unavailable. */
const DEFAULT_TIMEOUT_MS = 4000;
const DEFAULT_CACHE_TTL_MS = 15_000;
const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** `ops.prometheus`, read and checked. */
export interface PrometheusConfig {
  timeoutMs: number;
  cacheTtlMs: number;
  servers: Array<{
    name: string;
    baseUrl: string;
    headers: Record<string, string>;
  }>;
  defaultServer?: string;
}

/** Reads `ops.prometheus`; fails on a bad server name, URL or default. */
export function readPrometheusConfig(config: Config): PrometheusConfig {
  const root = config.getOptionalConfig('ops.prometheus');
  const duration = (key: string, fallback: number) =>
    root?.has(key)
      ? durationToMilliseconds(readDurationFromConfig(root, { key }))
      : fallback;
  const timeoutMs = duration('timeout', DEFAULT_TIMEOUT_MS);
  const cacheTtlMs = duration('cacheTtl', DEFAULT_CACHE_TTL_MS);
  const servers: PrometheusConfig['servers'] = [];
  const configured = root?.getOptionalConfig('servers');
  for (const name of configured?.keys() ?? []) {
    if (!SERVER_NAME.test(name)) {
      throw new Error(
        `Invalid ops.prometheus.servers.${name}: a server name is letters, digits, - and _`,
      );
    }
    const server = configured!.getConfig(name);
    const baseUrl = server.getString('baseUrl');
    if (!/^https?:\/\//.test(baseUrl)) {
      throw new Error(
        `Invalid ops.prometheus.servers.${name}.baseUrl: expected an http(s) URL, got '${baseUrl}'`,
      );
    }
    const headers: Record<string, string> = {};
    const configuredHeaders = server.getOptionalConfig('headers');
    for (const header of configuredHeaders?.keys() ?? []) {
      headers[header] = configuredHeaders!.getString(header);
    }
    const token = server.getOptionalString('token');
    if (token) headers.authorization = `Bearer ${token}`;
    servers.push({ name, baseUrl, headers });
  }
  const names = servers.map(server => server.name);
  const defaultServer =
    root?.getOptionalString('defaultServer') ??
    (names.includes('default') ? 'default' : names[0]);
  if (defaultServer !== undefined && !names.includes(defaultServer)) {
    throw new Error(
      `Invalid ops.prometheus.defaultServer: no server named '${defaultServer}' under ops.prometheus.servers`,
    );
  }
  return { timeoutMs, cacheTtlMs, servers, defaultServer };
}

/**
 * The Prometheus servers of `ops.prometheus`, by name. URLs only ever come
 * from this admin config: an entity names a server with the
 * `opsdeck.dev/prometheus` annotation and cannot point OpsDeck anywhere else.
 */
export class PrometheusServers {
  static create(deps: {
    config: PrometheusConfig;
    cache?: CacheService;
    counter?: PrometheusQueryCounter;
  }): PrometheusServers {
    const { config, ...options } = deps;
    const { timeoutMs, cacheTtlMs } = config;
    const servers = new Map(
      config.servers.map(server => [
        server.name,
        new PrometheusClient(server, { timeoutMs, cacheTtlMs, ...options }),
      ]),
    );
    return new PrometheusServers(servers, config.defaultServer);
  }

  private constructor(
    private readonly servers: Map<string, PrometheusClient>,
    private readonly defaultServer: string | undefined,
  ) {}

  /** The server of an entity: its annotation, else the default. */
  forEntity(entity: Entity): PrometheusClient {
    const annotated =
      entity.metadata.annotations?.[OPSDECK_ANNOTATIONS.prometheus];
    const name = annotated?.trim() || this.defaultServer;
    if (name === undefined) {
      throw new InputError(
        'No Prometheus server is configured: add one under ops.prometheus.servers in app-config.yaml',
      );
    }
    const client = this.servers.get(name);
    if (!client) {
      throw new InputError(
        `Annotation ${
          OPSDECK_ANNOTATIONS.prometheus
        } names the Prometheus server '${name}', which is not configured; known: ${
          [...this.servers.keys()].join(', ') || 'none'
        }`,
      );
    }
    return client;
  }
}
