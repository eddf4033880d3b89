// Command torchfidelity times tr119's torch worker against plain.py, a
// plain PyTorch script that imports nothing of tr119, on the same model
// folder, shapes and calls (prefill, uncached generate, KV-cache decode).
// Both stay loaded (and compiled) for the whole run; rounds alternate
// between them so machine noise hits both alike, and the pooled median
// per shape and mode is compared (target ratio 0.95-1.05).
//
//	go run ./bench/torchfidelity -python /usr/bin/python3 -impl tr119-gpt2 -preset tiny -model /tmp/tiny
//	go run ./bench/torchfidelity -python python3 -impl transformers -device cuda:0 -compile -model DIR
package main
