/**
 * A tiny router: a table of `METHOD /path/:param` routes, matched segment by segment.
 * Parameters are percent-decoded once here; a path that matches with another method
 * answers 405 with `Allow`, anything else 404.
 */
import type { Role } from '../auth';
import { HttpError } from './errors';

export interface Route<C> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** The least role a caller needs when the forge has keys; `none` = open to all (liveness). */
  role: Role | 'none';
  handle(ctx: C, params: Record<string, string>): unknown;
}

interface Compiled<C> {
  route: Route<C>;
  parts: string[];
}

export interface Match<C> {
  route: Route<C>;
  params: Record<string, string>;
}

export class Router<C> {
  private readonly routes: Compiled<C>[];

  constructor(routes: Route<C>[]) {
    this.routes = routes.map((route) => ({ route, parts: route.path.split('/').slice(1) }));
  }

  match(method: string, pathname: string): Match<C> {
    const segments = pathname.split('/').slice(1);
    const allowed = new Set<string>();
    for (const { route, parts } of this.routes) {
      const params = matchParts(parts, segments);
      if (!params) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
      allowed.add(route.method);
    }
    if (allowed.size > 0) {
      const allow = [...allowed].join(', ');
      throw new HttpError('method_not_allowed', `${method} is not allowed on ${pathname}; use ${allow}`, undefined, { allow });
    }
    throw new HttpError('route_not_found', `no route ${method} ${pathname}; the API lives under /api/v1 (see /healthz for liveness)`);
  }
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | null {
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.startsWith(':')) {
      if (segments[i] === '') return null;
      params[part.slice(1)] = decodeSegment(segments[i]);
    } else if (part !== segments[i]) {
      return null;
    }
  }
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError('invalid_path', `path segment ${JSON.stringify(segment)} is not valid percent-encoding`);
  }
}
