// Command powercheck checks tr119's GPU energy measurement on a machine
// with an NVIDIA GPU. It samples the GPU through telemetry.Recorder while
// scripts/gpu-load.py keeps it busy with matrix products (~10 s) and then
// idle (~10 s), and prints idle and busy power and the busy window's
// energy by counter and by integrated power samples (they must agree
// within 5%). Then it measures a ~20 ms burst through a looped 2 s window,
// five times, and prints the energy per burst and its coefficient of
// variation (must be < 10%). It also prints the sampler's own CPU cost.
// It exits 1 when a check fails, 2 when it cannot run.
//
//	powercheck [-python python3] [-script scripts/gpu-load.py] [-samples out.parquet]
//	powercheck -calls 100   # time each NVML and procfs read the sampler makes
//	powercheck -cost 5s     # the sampler's CPU cost, split by part
//
// Built here and run on the GPU machine (no Go there):
//
//	CGO_ENABLED=1 go build -ldflags=-s -o out/h8/powercheck ./cmd/powercheck && xz -9 out/h8/powercheck
//	xz -dc out/h8/powercheck.xz >/tmp/powercheck && chmod +x /tmp/powercheck && /tmp/powercheck
package main
