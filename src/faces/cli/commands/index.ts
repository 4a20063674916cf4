import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/** Every command module exports `register(program, ctx)`; adding a command is one line here. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

export const commands: Array<() => Promise<{ register: RegisterCommand }>> = [
  () => import('./scan.js'),
  () => import('./plan.js'),
  () => import('./build.js'),
  () => import('./hints.js'),
  () => import('./record.js'),
  () => import('./queue.js'),
  () => import('./run.js'),
  () => import('./publish.js'),
  () => import('./yank.js'),
  () => import('./yield.js'),
];
