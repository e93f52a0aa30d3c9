import type { z } from 'zod';
import type { RouteSpec } from '../http/route.js';
import type { PluginDecisions } from './types.js';

/**
 * The one interface every policy plugin satisfies. A plugin is a folder under plugins/ (or a
 * module loaded by path) whose default export is such an object.
 */
export interface PolicyPlugin<S = unknown> extends PluginDecisions<S> {
  name: string;
  description: string;
  /** Schema of the plugin's settings; validated at start and on every change in the console. */
  settings: z.ZodType<S>;
  /**
   * The plugin's own API (enrolment, sync, channel links…). Every path must start with
   * `/api/v1/plugins/<id>/` and declare its access like any core route.
   */
  routes?: RouteSpec[];
  /** Starts background work (a scheduled sync) when the server starts; returns its stop function. */
  start?: () => () => void;
  /**
   * Top-level settings keys that hold secrets (a service account's password). The console and
   * the audit log see them masked; saving the mask back keeps the stored value.
   */
  secretSettings?: readonly string[];
}

/** Helper giving a plugin definition its types. */
export function definePlugin<S>(plugin: PolicyPlugin<S>): PolicyPlugin<S> {
  return plugin;
}
