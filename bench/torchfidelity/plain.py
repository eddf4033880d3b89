"""A plain PyTorch script timing the same calls as tr119's torch worker,
for bench/torchfidelity. It imports nothing of tr119: it loads the model
folder itself (transformers' GPT2LMHeadModel, or with --impl plain a GPT-2
written here in plain torch over model.safetensors, for machines without
transformers), and runs prefill, uncached greedy generate and KV-cache
decode the way a user's script would.

It is driven over stdin: each line "SHAPE MODE" runs that shape and mode
(warmups untimed, then iters timed calls) and prints one JSON line
{"shape", "mode", "samples_ms"}, so the driver can interleave it with the
worker cell by cell.
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import torch

ap = argparse.ArgumentParser()
ap.add_argument("--model", required=True)
ap.add_argument("--inputs", required=True)
ap.add_argument("--impl", default="transformers", choices=["transformers", "plain"])
ap.add_argument("--device", default="cpu")
ap.add_argument("--threads", type=int, default=0)
ap.add_argument("--compile", action="store_true")
ap.add_argument("--compile-mode", default="default")
ap.add_argument("--new-tokens", type=int, default=8)
ap.add_argument("--iters", type=int, default=20)
ap.add_argument("--warmups", type=int, default=3)
a = ap.parse_args()
out = sys.stdout
sys.stdout = sys.stderr
if a.threads:
    torch.set_num_threads(a.threads)
dev = torch.device(a.device)
cuda = dev.type == "cuda"
torch.backends.cuda.matmul.allow_tf32 = False


def sync():
    if cuda:
        torch.cuda.synchronize()


# Generate and decode wait for the device after every token, as anything
# that streams tokens (or times each one, as the worker does for its
# inter-token latencies) must; a loop that only waited at the end would let
# the steps overlap and time another thing.
step_done = sync


def plain_gpt2(d):
    cfg = json.load(open(os.path.join(d, "config.json")))
    with open(os.path.join(d, "model.safetensors"), "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        hdr = json.loads(f.read(n))
        buf = bytearray(f.read())
    W = {}
    for k, v in hdr.items():
        if k != "__metadata__":
            b, e = v["data_offsets"]
            W[k.replace("transformer.", "")] = torch.frombuffer(buf, dtype=torch.float32, count=(e - b) // 4, offset=b).view(v["shape"]).to(dev)
    E, H, L = cfg["n_embd"], cfg["n_head"], cfg["n_layer"]
    hd = E // H

    def gelu(x):
        return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))

    def forward(ids, mask, pos, past=None, last=True):
        B, T = ids.shape
        x = W["wte.weight"][ids] + W["wpe.weight"][pos]
        S = mask.shape[1]
        causal = torch.ones(T, S, dtype=torch.bool, device=dev).tril(S - T)
        keep = causal[None, None] & mask.bool()[:, None, None, :]
        present = []
        for i in range(L):
            p = "h.%d." % i
            h = torch.nn.functional.layer_norm(x, (E,), W[p + "ln_1.weight"], W[p + "ln_1.bias"], 1e-5)
            q, k, v = (h @ W[p + "attn.c_attn.weight"] + W[p + "attn.c_attn.bias"]).split(E, -1)
            q, k, v = [t.view(B, T, H, hd).transpose(1, 2) for t in (q, k, v)]
            if past is not None:
                k, v = torch.cat([past[i][0], k], 2), torch.cat([past[i][1], v], 2)
            present.append((k, v))
            s = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
            s = s.masked_fill(~keep, torch.finfo(s.dtype).min)
            y = (s.softmax(-1) @ v).transpose(1, 2).reshape(B, T, E)
            x = x + y @ W[p + "attn.c_proj.weight"] + W[p + "attn.c_proj.bias"]
            h = torch.nn.functional.layer_norm(x, (E,), W[p + "ln_2.weight"], W[p + "ln_2.bias"], 1e-5)
            x = x + gelu(h @ W[p + "mlp.c_fc.weight"] + W[p + "mlp.c_fc.bias"]) @ W[p + "mlp.c_proj.weight"] + W[p + "mlp.c_proj.bias"]
        if last:  # the LM head over the last position only, as logits_to_keep=1 does
            x = x[:, -1:]
        x = torch.nn.functional.layer_norm(x, (E,), W["ln_f.weight"], W["ln_f.bias"], 1e-5)
        return x @ W["wte.weight"].t(), present

    return forward


if a.impl == "plain":
    fwd = plain_gpt2(a.model)

    def full(ids, mask):
        return fwd(ids, mask, (mask.cumsum(-1) - 1).clamp(min=0), last=False)[0]

    def last(ids, mask):
        return fwd(ids, mask, (mask.cumsum(-1) - 1).clamp(min=0))[0][:, -1]

    def decode(ids, mask, n):
        logits, past = fwd(ids, mask, (mask.cumsum(-1) - 1).clamp(min=0))
        tok = logits[:, -1].argmax(-1, keepdim=True)
        step_done()
        for _ in range(n - 1):
            mask = torch.cat([mask, torch.ones_like(tok)], 1)
            logits, past = fwd(tok, mask, mask.sum(-1, keepdim=True) - 1, past)
            tok = logits[:, -1].argmax(-1, keepdim=True)
            step_done()
else:
    import transformers
    model = transformers.GPT2LMHeadModel.from_pretrained(a.model).to(dev).eval()
    call = model.forward
    if a.compile:
        # Each shape and mode compiles its own graphs: torch's default
        # recompile limit (8 per function) would send the later ones back
        # to eager without a word.
        import torch._dynamo
        for name, n in (("recompile_limit", 1024), ("cache_size_limit", 1024),
                        ("accumulated_recompile_limit", 8192), ("accumulated_cache_size_limit", 8192)):
            if hasattr(torch._dynamo.config, name):
                setattr(torch._dynamo.config, name, n)
        call = torch.compile(model.forward, mode=a.compile_mode)

    # Logits only (use_cache=False): without it transformers also builds
    # and returns a KV cache nobody reads.
    def full(ids, mask):
        return call(input_ids=ids, attention_mask=mask, position_ids=(mask.cumsum(-1) - 1).clamp(min=0), use_cache=False).logits

    def last(ids, mask):
        return call(input_ids=ids, attention_mask=mask, position_ids=(mask.cumsum(-1) - 1).clamp(min=0), use_cache=False,
                    logits_to_keep=1).logits[:, -1]

    static_caches = {}

    def decode(ids, mask, n):
        B, S = ids.shape
        if a.compile:
            # One static cache per shape, made once and reset every call, as
            # a serving loop (and the worker) keeps it.
            cache = static_caches.get((B, S + n))
            if cache is None:
                cache = static_caches[(B, S + n)] = transformers.StaticCache(config=model.config, max_cache_len=S + n)
            cache.reset()
            m = torch.zeros(B, S + n, dtype=mask.dtype, device=dev)
            m[:, :S] = mask
            o = call(input_ids=ids, attention_mask=m, position_ids=(mask.cumsum(-1) - 1).clamp(min=0),
                     past_key_values=cache, cache_position=torch.arange(S, device=dev), logits_to_keep=1)
            tok = o.logits[:, -1].argmax(-1, keepdim=True)
            step_done()
            for k in range(1, n):
                m[:, S + k - 1] = 1
                o = call(input_ids=tok, attention_mask=m, position_ids=m[:, :S + k].sum(-1, keepdim=True) - 1,
                         past_key_values=cache, cache_position=torch.tensor([S + k - 1], device=dev), logits_to_keep=1)
                tok = o.logits[:, -1].argmax(-1, keepdim=True)
                step_done()
            return
        o = call(input_ids=ids, attention_mask=mask, position_ids=(mask.cumsum(-1) - 1).clamp(min=0), use_cache=True, logits_to_keep=1)
        tok, past = o.logits[:, -1].argmax(-1, keepdim=True), o.past_key_values
        step_done()
        for _ in range(n - 1):
            mask = torch.cat([mask, torch.ones_like(tok)], 1)
            o = call(input_ids=tok, attention_mask=mask, position_ids=mask.sum(-1, keepdim=True) - 1, past_key_values=past, use_cache=True, logits_to_keep=1)
            tok, past = o.logits[:, -1].argmax(-1, keepdim=True), o.past_key_values
            step_done()


def generate(ids, mask, n):
    for _ in range(n):
        tok = last(ids, mask).argmax(-1, keepdim=True)
        ids, mask = torch.cat([ids, tok], 1), torch.cat([mask, torch.ones_like(tok)], 1)
        step_done()


shapes = json.load(open(a.inputs))


def one(mode, ids, mask):
    sync()
    t0 = time.perf_counter()
    if mode == "prefill":
        full(ids, mask)
    elif mode == "generate":
        generate(ids, mask, a.new_tokens)
    else:
        decode(ids, mask, a.new_tokens)
    sync()
    return (time.perf_counter() - t0) * 1e3


by_name = {s["name"]: s for s in shapes}
for line in sys.stdin:
    if not line.strip():
        continue
    name, mode = line.split()
    s = by_name[name]
    with torch.inference_mode():
        ids = torch.tensor(s["ids"], device=dev).view(s["batch"], s["seq_len"])
        mask = torch.tensor(s["mask"], device=dev).view(s["batch"], s["seq_len"])
        for _ in range(a.warmups):
            one(mode, ids, mask)
        samples = [one(mode, ids, mask) for _ in range(a.iters)]
    out.write(json.dumps({"shape": name, "mode": mode, "samples_ms": samples}) + "\n")
    out.flush()
