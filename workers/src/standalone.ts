import { bootCore, bootHttp, bootWorker, printStartBanner } from './boot.ts';
import { runProcess } from './lifecycle.ts';

/** `npm start`: the API server, the editor and a queue worker in one process. */
runProcess(async (context) => {
  const core = await bootCore('standalone', process.env, context);
  bootWorker(core, context);
  const { examples, owner } = await bootHttp(core, context);
  printStartBanner(core, {
    title: 'Convoflow is running (server + worker in one process)',
    http: true,
    showApiKey: true,
    examples,
    owner,
  });
});
