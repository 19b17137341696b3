/**
 * A worker of the bench's parse floor on every core (bench.ts `parse-threads`): reads and
 * parses its share of the workflow files with `yaml`, as the single-thread floor does, and
 * posts back how many documents had contents. Nothing else: what the audit's workers do
 * beyond this is the audit's own cost.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { LineCounter, parseDocument } from 'yaml';

let documents = 0;
for (const file of workerData as string[]) if (parseDocument(readFileSync(file, 'utf8'), { lineCounter: new LineCounter() }).contents) documents++;
parentPort!.postMessage(documents);
