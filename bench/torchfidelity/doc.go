// Command torchfidelity times tr119's torch worker against plain.py, a
// plain PyTorch script that imports nothing of tr119, on the same model
// folder, shapes and calls (prefill, uncached generate, KV-cache decode).
// Both stay loaded (and compiled) for the whole run; in every round they
// take turns cell by cell, the first alternating, so machine noise hits
// both alike, and the pooled median per shape and mode is compared
// (target ratio 0.95-1.05). One torch thread each by default: on a
// two-core machine a second thread is preempted by the other process and
// the spread swamps the comparison.
//
//	go run ./bench/torchfidelity -python /usr/bin/python3 -impl tr119-gpt2 -preset tiny -model /tmp/tiny
//	go run ./bench/torchfidelity -python python3 -impl transformers -device cuda:0 -compile -model DIR
package main
