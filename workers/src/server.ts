import { bootCore, bootHttp, printStartBanner } from './boot.ts';
import { runProcess } from './lifecycle.ts';

/** The API server (and editor) alone; runs advance on `worker.ts` processes. */
runProcess(async (context) => {
  const core = await bootCore('server', process.env, context);
  const { examples, owner } = await bootHttp(core, context);
  printStartBanner(core, {
    title: 'Convoflow API server is running (runs advance on worker processes)',
    http: true,
    showApiKey: core.config.secretsOrigin.generated,
    examples,
    owner,
  });
});
