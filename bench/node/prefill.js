// Times model.onnx prefill with onnxruntime-node@1.29.0 (the same ONNX
// Runtime library tr119 loads) on the inputs tr119 wrote, with the same
// thread settings, and prints one JSON line per shape with every sample.
//
// usage: node prefill.js MODEL_ONNX INPUTS_JSON THREADS ITERS WARMUPS
'use strict';
const ort = require('onnxruntime-node');
const fs = require('fs');

async function main() {
  const [model, inputsPath, threads, iters, warmups] = process.argv.slice(2);
  if (!warmups) throw new Error('usage: prefill.js MODEL_ONNX INPUTS_JSON THREADS ITERS WARMUPS');
  const sess = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threads),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    executionProviders: ['cpu'],
  });
  const shapes = JSON.parse(fs.readFileSync(inputsPath, 'utf8'));
  for (const s of shapes) {
    const dims = [s.batch, s.seq_len];
    const feeds = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(s.ids.map(BigInt)), dims),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from(s.mask.map(BigInt)), dims),
    };
    for (let i = 0; i < Number(warmups); i++) await sess.run(feeds);
    const samples = [];
    for (let i = 0; i < Number(iters); i++) {
      const t0 = process.hrtime.bigint();
      await sess.run(feeds);
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    console.log(JSON.stringify({ side: 'node', shape: s.name, batch: s.batch, seq_len: s.seq_len, samples_ms: samples }));
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
