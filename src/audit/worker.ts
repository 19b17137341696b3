/**
 * A worker thread of the parallel audit: takes the batch context once, then audits batches of
 * workflow files (batch.ts) and posts each result back. It reads no files and makes no network
 * calls: everything it needs arrives in messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CHECKS } from '../registry.js';
import { BatchAuditor, type BatchContext } from './batch.js';
import type { RepoFile } from '../loader/discover.js';

export type WorkerRequest = { id: number; files: RepoFile[] };
export type WorkerReply = { id: number; result: ReturnType<BatchAuditor['audit']> } | { id: number; failure: string };

if (parentPort) {
  const port = parentPort;
  const auditor = new BatchAuditor(workerData as BatchContext, CHECKS);
  port.on('message', (req: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      reply = { id: req.id, result: auditor.audit(req.files) };
    } catch (err) {
      reply = { id: req.id, failure: (err as Error).message };
    }
    try {
      port.postMessage(reply);
    } catch (err) {
      // A result that cannot be cloned is a defect here; the main thread redoes the batch itself.
      port.postMessage({ id: req.id, failure: `result could not be sent: ${(err as Error).message}` });
    }
  });
}
