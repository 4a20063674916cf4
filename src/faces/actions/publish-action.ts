// actions/publish entry (the runner runs dist/publish-action.js); the work is in publish.ts.
import { runAction } from './inputs.js';
import { publishAction } from './publish.js';

await runAction(async () => {
  await publishAction();
});
