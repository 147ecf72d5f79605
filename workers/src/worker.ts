import { bootCore, bootWorker, printStartBanner } from './boot.ts';
import { runProcess } from './lifecycle.ts';

/** A queue worker alone: advances runs; start as many as the load needs. */
runProcess(async (context) => {
  const core = await bootCore('worker', process.env, context);
  bootWorker(core, context);
  printStartBanner(core, {
    title: `Convoflow worker is running (concurrency ${core.config.workerConcurrency})`,
    http: false,
    showApiKey: false,
  });
});
