// Registered for every test file (see vitest.config.ts); prints only where a browser
// test has registered a browser or server.
import { afterEach } from 'vitest';
import { failureReport } from './failure-report.js';

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  const report = await failureReport();
  if (report) console.log(report);
});
