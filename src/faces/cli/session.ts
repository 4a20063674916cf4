import { openSession, type Session, type SessionFlags } from '../../session/index.js';
import { type CliContext, warn } from './context.js';

/** The command's session: the CLI's context as the session's world, notices on stderr. */
export function cliSession(ctx: CliContext, flags: SessionFlags): Promise<Session> {
  return openSession({ cwd: ctx.cwd, env: ctx.env, flags, notice: (m) => warn(ctx, m) });
}
