"""tr119 torch worker (protocol 1; docs/torch-worker.md).

tr119 starts this script with `python -c`, writes one JSON request per line
on stdin and reads one JSON response per line on stdout. Everything the
worker or a library prints goes to stderr (tr119 keeps its tail for error
messages). Timings are taken here, around device-synchronised work, so the
protocol round trip is never inside a timed window.
"""
import json
import math
import os
import platform
import struct
import sys
import time
import traceback

PROTOCOL = 1

# Install hints for a module the declared implementation needs.
HINTS = {
    "torch": "install PyTorch for this interpreter (Debian: apt-get install python3-torch; "
             "elsewhere: pip install torch), or set the torch block's python to an interpreter that has it",
    "transformers": "install Hugging Face transformers for this interpreter (pip install transformers), "
                    "or declare implementation = \"tr119-gpt2\" (plain torch, no transformers)",
}


class Fail(Exception):
    """An error the worker reports as {ok: false, kind, error}."""

    def __init__(self, kind, msg, **extra):
        super().__init__(msg)
        self.kind = kind
        self.extra = extra


def fault(point):
    """Test-only fault injection (TR119_TORCH_FAULT=crash:run, hang:run,
    oom:run, ... with the point load, prepare or run; with
    TR119_TORCH_FAULT_ONCE=PATH only the first worker to reach it fires):
    lets tr119's tests exercise a real crash, hang and out-of-memory path
    of a real worker."""
    spec = os.environ.get("TR119_TORCH_FAULT", "")
    if not spec or spec.split(":", 1)[-1] != point:
        return
    once = os.environ.get("TR119_TORCH_FAULT_ONCE")  # a marker file: fire only once
    if once:
        try:
            os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
    what = spec.split(":", 1)[0]
    if what == "crash":
        sys.stderr.write("tr119 test fault: crashing at %s\n" % point)
        sys.stderr.flush()
        os._exit(3)
    if what == "hang":
        import subprocess
        child = subprocess.Popen(["sleep", "3600"])
        sys.stderr.write("tr119 test fault: hanging at %s (child %d)\n" % (point, child.pid))
        sys.stderr.flush()
        while True:
            time.sleep(3600)
    if what == "oom":
        raise RuntimeError("CUDA out of memory. Tried to allocate 20.00 GiB (tr119 test fault)")


def need(module):
    """Imports a module the declared implementation needs, or fails with
    which one is missing and how to install it."""
    try:
        return __import__(module)
    except Exception as e:  # ImportError, or a broken install raising anything
        raise Fail("missing_module", "%s is not importable by %s: %s: %s; %s" % (
            module, sys.executable, type(e).__name__, e, HINTS.get(module, "install it")), module=module)


# ---------------------------------------------------------------- safetensors

def read_safetensors(path):
    """Reads a safetensors file (8-byte little-endian header length, JSON
    header, raw little-endian tensors) into CPU tensors."""
    import torch
    dtypes = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
              "F64": torch.float64, "I64": torch.int64}
    with open(path, "rb") as f:
        raw = f.read(8)
        if len(raw) != 8:
            raise Fail("bad_model", "%s: shorter than a safetensors header" % path)
        (n,) = struct.unpack("<Q", raw)
        if n > 100 << 20:
            raise Fail("bad_model", "%s: header length %d is implausible" % (path, n))
        header = json.loads(f.read(n))
        data = bytearray(f.read())
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        dt = dtypes.get(t["dtype"])
        if dt is None:
            raise Fail("bad_model", "%s: tensor %s has unsupported dtype %s" % (path, name, t["dtype"]))
        begin, end = t["data_offsets"]
        count = end - begin
        size = torch.tensor([], dtype=dt).element_size()
        if count % size or end > len(data):
            raise Fail("bad_model", "%s: tensor %s: offsets %s outside the data" % (path, name, t["data_offsets"]))
        x = torch.frombuffer(data, dtype=dt, count=count // size, offset=begin) if count else torch.empty(0, dtype=dt)
        out[name[len("transformer."):] if name.startswith("transformer.") else name] = x.reshape(t["shape"])
    return out


# ---------------------------------------------------------------- tr119-gpt2

def tr119_gpt2(cfg, weights, device, dtype):
    """GPT-2 in plain torch over the model folder's weights (Conv1D layout,
    tied LM head, gelu_new), with a preallocated KV cache. Works with
    torch 1.13; no transformers."""
    import torch

    L, H, E = cfg["n_layer"], cfg["n_head"], cfg["n_embd"]
    hd = E // H
    eps = cfg.get("layer_norm_epsilon", 1e-5)

    def w(name, shape):
        if name not in weights:
            raise Fail("bad_model", "model.safetensors: missing tensor %s" % name)
        t = weights[name]
        if list(t.shape) != list(shape):
            raise Fail("bad_model", "model.safetensors: tensor %s has shape %s, want %s" % (name, list(t.shape), list(shape)))
        return t.to(device=device, dtype=dtype).contiguous()

    inner = cfg.get("n_inner") or 4 * E
    V, P = cfg["vocab_size"], cfg["n_positions"]
    wte, wpe = w("wte.weight", (V, E)), w("wpe.weight", (P, E))
    blocks = []
    for i in range(L):
        p = "h.%d." % i
        blocks.append({k: w(p + k, s) for k, s in [
            ("ln_1.weight", (E,)), ("ln_1.bias", (E,)),
            ("attn.c_attn.weight", (E, 3 * E)), ("attn.c_attn.bias", (3 * E,)),
            ("attn.c_proj.weight", (E, E)), ("attn.c_proj.bias", (E,)),
            ("ln_2.weight", (E,)), ("ln_2.bias", (E,)),
            ("mlp.c_fc.weight", (E, inner)), ("mlp.c_fc.bias", (inner,)),
            ("mlp.c_proj.weight", (inner, E)), ("mlp.c_proj.bias", (E,))]})
    lnf_w, lnf_b = w("ln_f.weight", (E,)), w("ln_f.bias", (E,))
    neg = torch.finfo(dtype).min
    ln = torch.nn.functional.layer_norm
    c0 = math.sqrt(2.0 / math.pi)

    def gelu_new(x):
        return 0.5 * x * (1.0 + torch.tanh(c0 * (x + 0.044715 * torch.pow(x, 3.0))))

    def forward(ids, mask, pos, cache=None, past=0, last=False):
        """ids, pos [B, T]; mask [B, past+T] (1 = token). cache: a list of
        (k, v) buffers [B, H, max, hd] written at [past, past+T). Returns
        logits [B, T, V], or [B, V] with last."""
        B, T = ids.shape
        x = wte[ids] + wpe[pos]
        S = past + T
        q_idx = torch.arange(past, S, device=ids.device).view(T, 1)
        k_idx = torch.arange(S, device=ids.device).view(1, S)
        allowed = (k_idx <= q_idx).view(1, 1, T, S) & mask[:, :S].bool().view(B, 1, 1, S)
        scale = 1.0 / math.sqrt(hd)
        for i, b in enumerate(blocks):
            h = ln(x, (E,), b["ln_1.weight"], b["ln_1.bias"], eps)
            qkv = torch.addmm(b["attn.c_attn.bias"], h.reshape(B * T, E), b["attn.c_attn.weight"]).view(B, T, 3, H, hd)
            q, k, v = qkv.unbind(2)
            q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
            if cache is not None:
                ck, cv = cache[i]
                ck[:, :, past:S] = k
                cv[:, :, past:S] = v
                k, v = ck[:, :, :S], cv[:, :, :S]
            s = torch.matmul(q, k.transpose(-1, -2)) * scale
            s = s.masked_fill(~allowed, neg)
            a = torch.matmul(torch.softmax(s, dim=-1), v).transpose(1, 2).reshape(B * T, E)
            x = x + torch.addmm(b["attn.c_proj.bias"], a, b["attn.c_proj.weight"]).view(B, T, E)
            h = ln(x, (E,), b["ln_2.weight"], b["ln_2.bias"], eps).reshape(B * T, E)
            h = gelu_new(torch.addmm(b["mlp.c_fc.bias"], h, b["mlp.c_fc.weight"]))
            x = x + torch.addmm(b["mlp.c_proj.bias"], h, b["mlp.c_proj.weight"]).view(B, T, E)
        if last:
            x = x[:, -1]
        x = ln(x, (E,), lnf_w, lnf_b, eps)
        return torch.matmul(x, wte.t())

    def new_cache(B, n):
        return [(torch.zeros(B, H, n, hd, device=device, dtype=dtype),
                 torch.zeros(B, H, n, hd, device=device, dtype=dtype)) for _ in range(L)]

    return forward, new_cache


# ---------------------------------------------------------------- the model

class Model:
    """The loaded model behind three calls: full(ids, mask) -> [B, T, V],
    last(ids, mask) -> [B, V] (uncached), and a KV-cache decoder."""

    def __init__(self, req, env):
        import torch
        self.torch = torch
        self.impl = req["implementation"]
        self.device = torch.device(req["device"])
        self.dtype = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}[req["dtype"]]
        self.compile = bool(req.get("compile"))
        self.compile_mode = req.get("compile_mode") or "default"
        self.dynamic = req.get("dynamic", "auto")
        self.static_cache, self.keep_kw = False, None
        d = req["dir"]
        with open(os.path.join(d, "config.json")) as f:
            self.cfg = json.load(f)
        env["implementation"] = self.impl
        if self.impl == "tr119-gpt2":
            weights = read_safetensors(os.path.join(d, "model.safetensors"))
            self.fwd, self.new_cache = tr119_gpt2(self.cfg, weights, self.device, self.dtype)
            env["attn_implementation"] = "tr119-gpt2 (matmul + masked softmax)"
            env["cache_implementation"] = "preallocated (tr119-gpt2)"
        else:
            self._load_transformers(d, req, env)
        env["compile"] = str(self.compile).lower()
        if self.compile:
            env["compile_mode"] = self.compile_mode
            env["compile_dynamic"] = str(self.dynamic)

    def _load_transformers(self, d, req, env):
        torch = self.torch
        tf = need("transformers")
        kw = {}
        if req.get("attn_implementation"):
            kw["attn_implementation"] = req["attn_implementation"]
        try:
            m = tf.GPT2LMHeadModel.from_pretrained(d, dtype=self.dtype, **kw)
        except TypeError:
            m = tf.GPT2LMHeadModel.from_pretrained(d, torch_dtype=self.dtype, **kw)
        self.hf = m.to(self.device).eval()
        env["attn_implementation"] = str(getattr(m.config, "_attn_implementation", None) or "default")
        import inspect
        params = inspect.signature(m.forward).parameters
        self.keep_kw = "logits_to_keep" if "logits_to_keep" in params else (
            "num_logits_to_keep" if "num_logits_to_keep" in params else None)
        env["last_logits_only"] = self.keep_kw or "no (full logits, last position sliced)"
        # Compiled decode needs a static cache (fixed shapes); eager uses
        # transformers' default dynamic cache.
        self.static_cache = self.compile
        env["cache_implementation"] = "static" if self.static_cache else "dynamic"
        self.call = m.forward
        if self.compile:
            if not hasattr(torch, "compile"):
                raise Fail("missing_module", "torch %s has no torch.compile (needs torch >= 2.0)" % torch.__version__, module="torch")
            # Every cell (shape x mode) compiles its own graphs; torch's
            # default recompile limit (8 per function) would silently
            # send later cells to eager, so it is raised and recorded.
            import torch._dynamo
            dc = torch._dynamo.config
            for name in ("recompile_limit", "cache_size_limit"):
                if hasattr(dc, name):
                    setattr(dc, name, 1024)
            for name in ("accumulated_recompile_limit", "accumulated_cache_size_limit"):
                if hasattr(dc, name):
                    setattr(dc, name, 8192)
            env["compile_recompile_limit"] = "1024"
            kw = {"mode": self.compile_mode}
            if self.dynamic in (True, False):
                kw["dynamic"] = self.dynamic
            self.call = torch.compile(m.forward, **kw)

    # Each call returns logits; positions come from the mask as Hugging
    # Face does for left-padded GPT-2 (cumsum - 1, padding at 0).
    def positions(self, mask):
        return (mask.cumsum(-1) - 1).clamp(min=0)

    def full(self, ids, mask):
        if self.impl == "tr119-gpt2":
            return self.fwd(ids, mask, self.positions(mask))
        return self.call(input_ids=ids, attention_mask=mask, position_ids=self.positions(mask), use_cache=False).logits

    def last(self, ids, mask):
        if self.impl == "tr119-gpt2":
            return self.fwd(ids, mask, self.positions(mask), last=True)
        kw = {self.keep_kw: 1} if self.keep_kw else {}
        return self.call(input_ids=ids, attention_mask=mask, position_ids=self.positions(mask),
                         use_cache=False, **kw).logits[:, -1]


class Decoder:
    """KV-cache state of one decode runner: first(ids, mask) over the
    prompt, then step(tok, mask, k) one token at a time."""

    def __init__(self, model, B, S, steps):
        self.m, self.B, self.S, self.n = model, B, S, S + steps
        torch = model.torch
        if model.impl == "tr119-gpt2":
            self.cache = model.new_cache(B, self.n)
        elif model.static_cache:
            import inspect
            import transformers as tf
            ps = inspect.signature(tf.StaticCache.__init__).parameters
            kw = {"config": model.hf.config, "max_cache_len": self.n}
            for k, v in (("max_batch_size", B), ("batch_size", B), ("device", model.device), ("dtype", model.dtype)):
                if k in ps:
                    kw[k] = v
            self.cache = tf.StaticCache(**kw)
        # the static cache's mask is full length (zeros ahead) so shapes stay fixed
        self.kw = {model.keep_kw: 1} if getattr(model, "keep_kw", None) else {}

    def first(self, ids, mask):
        """ids [B, S]; mask the runner's full-length buffer [B, S+steps]
        (zeros ahead of the prompt)."""
        m = self.m
        pos = m.positions(mask[:, :self.S])
        if m.impl == "tr119-gpt2":
            return m.fwd(ids, mask, pos, cache=self.cache, past=0, last=True)
        if m.static_cache:
            self.cache.reset()
            out = m.call(input_ids=ids, attention_mask=mask, position_ids=pos, past_key_values=self.cache,
                         cache_position=m.torch.arange(self.S, device=ids.device), use_cache=True, **self.kw)
        else:
            out = m.call(input_ids=ids, attention_mask=mask[:, :self.S], position_ids=pos,
                         use_cache=True, **self.kw)
            self.cache = out.past_key_values
        return out.logits[:, -1]

    def step(self, tok, mask, k):
        """Step k >= 1: the token at absolute position S+k-1; mask holds
        S+k ones/zeros (for the static cache: the full-length buffer)."""
        m = self.m
        past = self.S + k - 1
        pos = (mask[:, :past + 1].sum(-1, keepdim=True) - 1).clamp(min=0)
        if m.impl == "tr119-gpt2":
            return m.fwd(tok, mask, pos, cache=self.cache, past=past, last=True)
        if m.static_cache:
            out = m.call(input_ids=tok, attention_mask=mask, position_ids=pos, past_key_values=self.cache,
                         cache_position=m.torch.tensor([past], device=tok.device), use_cache=True, **self.kw)
        else:
            out = m.call(input_ids=tok, attention_mask=mask[:, :past + 1], position_ids=pos,
                         past_key_values=self.cache, use_cache=True, **self.kw)
            self.cache = out.past_key_values
        return out.logits[:, -1]


# ---------------------------------------------------------------- runners

class Runner:
    """One mode at one shape: buffers allocated once, calls timed here."""

    def __init__(self, model, req):
        torch = model.torch
        self.m, self.torch = model, torch
        self.mode = req["mode"]
        if self.mode not in ("prefill", "generate", "decode"):
            raise Fail("bad_request", "mode %r: want prefill, generate or decode" % self.mode)
        self.B, self.S = int(req["batch"]), int(req["seq_len"])
        self.steps = int(req.get("steps", 0))
        self.stop = bool(req.get("stop_on_eos"))
        self.eos = int(req.get("eos", 50256))
        if self.B < 1 or self.S < 1 or (self.mode != "prefill" and self.steps < 1):
            raise Fail("bad_request", "shape %dx%d with %d steps: batch, seq_len and steps must be positive" % (self.B, self.S, self.steps))
        dev = model.device
        n = self.S + max(self.steps, 1)
        self.ids = torch.zeros(self.B, n, dtype=torch.long, device=dev)
        self.mask = torch.zeros(self.B, n, dtype=torch.long, device=dev)
        self.tokens = torch.zeros(self.B, max(self.steps, 1), dtype=torch.long, device=dev)
        self.count = torch.zeros(self.B, dtype=torch.long, device=dev)
        self.ended = torch.zeros(self.B, dtype=torch.bool, device=dev)
        self.logits = None
        self.dec = Decoder(model, self.B, self.S, self.steps) if self.mode == "decode" else None
        self.cuda = dev.type == "cuda"

    def sync(self):
        if self.cuda:
            self.torch.cuda.synchronize(self.m.device)

    def set_inputs(self, ids, mask):
        if len(ids) != self.B * self.S or len(mask) != self.B * self.S:
            raise Fail("invariant", "input holds %d ids and %d mask values, the runner's shape %dx%d needs %d" % (
                len(ids), len(mask), self.B, self.S, self.B * self.S))
        t = self.torch
        self.ids[:, :self.S].copy_(t.tensor(ids, dtype=t.long).view(self.B, self.S))
        self.mask.zero_()
        self.mask[:, :self.S].copy_(t.tensor(mask, dtype=t.long).view(self.B, self.S))

    def pick(self, logits, k):
        """Greedy token per row, as the ORT backend's loop: an ended row
        gets EOS again and is not counted."""
        t = self.torch
        tok = logits.argmax(-1)
        if not self.stop:
            # Every row counts every step (call sets count after the
            # window): the EOS bookkeeping below is four more small ops a
            # step, about 5% of a tiny model's decode step on a 2-core CPU.
            self.tokens[:, k] = tok
            return tok
        tok = t.where(self.ended, t.full_like(tok, self.eos), tok)
        self.count += (~self.ended).long()
        self.tokens[:, k] = tok
        self.ended |= tok == self.eos
        return tok

    def call(self):
        """One timed call; returns (latency_s, [step_s...])."""
        t, S = self.torch, self.S
        if self.mode == "prefill":
            # Drop the last call's logits first: holding them while the
            # next call allocates its own costs fresh pages every call
            # (+50% at 4 x 19 x 50257 on a CPU), which a user's loop,
            # keeping one result at a time, never pays.
            self.logits = None
            self.sync()
            t0 = time.perf_counter()
            self.logits = self.m.full(self.ids[:, :S], self.mask[:, :S])
            self.sync()
            d = time.perf_counter() - t0
            return d, [d]
        self.count.zero_()
        self.ended.zero_()
        if self.mode == "decode":
            self.mask[:, S:].zero_()
        steps = []
        self.sync()
        start = time.perf_counter()
        for k in range(self.steps):
            t0 = time.perf_counter()
            n = S + k
            if self.mode == "generate":
                self.logits = self.m.last(self.ids[:, :n], self.mask[:, :n])
            elif k == 0:
                self.logits = self.dec.first(self.ids[:, :S], self.mask)
            else:
                self.logits = self.dec.step(self.ids[:, n - 1:n], self.mask, k)
            tok = self.pick(self.logits, k)
            if k + 1 < self.steps:
                self.ids[:, n] = tok
                self.mask[:, n] = 1
            done = self.stop and bool(self.ended.all())
            self.sync()
            steps.append(time.perf_counter() - t0)
            if done:
                break
        total = time.perf_counter() - start
        if not self.stop:
            self.count.fill_(len(steps))
        return total, steps

    def produced(self):
        counts = self.count.tolist()
        toks = self.tokens.tolist()
        return [toks[r][:counts[r]] for r in range(self.B)]


# ---------------------------------------------------------------- dynamo counters

def dynamo_counts(torch):
    """(frames compiled, graph breaks, captured graphs) so far, or None
    without torch._dynamo."""
    try:
        from torch._dynamo.utils import counters
    except Exception:
        return None
    frames = counters["frames"].get("total", 0) if "frames" in counters else 0
    breaks = sum(counters["graph_break"].values()) if "graph_break" in counters else 0
    graphs = counters["stats"].get("unique_graphs", 0) if "stats" in counters else 0
    return frames, breaks, graphs


def break_reasons(torch, limit=3):
    try:
        from torch._dynamo.utils import counters
        return [str(r)[:200] for r in list(counters["graph_break"].keys())[:limit]]
    except Exception:
        return []


# ---------------------------------------------------------------- the loop

class Worker:
    def __init__(self):
        self.torch = None
        self.model = None
        self.runners = {}

    def op_hello(self, req):
        info = {"protocol": PROTOCOL, "pid": os.getpid(), "python": platform.python_version(),
                "python_executable": sys.executable}
        impl = req.get("implementation", "transformers")
        torch = need("torch")
        self.torch = torch
        info["torch"] = torch.__version__
        info["python_realpath"] = os.path.realpath(sys.executable)
        info["torch_version_file"] = os.path.join(os.path.dirname(torch.__file__), "version.py")
        info["torch_cuda"] = str(torch.version.cuda)
        if impl == "transformers":
            info["transformers"] = need("transformers").__version__
        elif impl != "tr119-gpt2":
            raise Fail("bad_request", "implementation %r: want transformers or tr119-gpt2" % impl)
        return info

    def op_load(self, req):
        fault("load")
        torch = self.torch or need("torch")
        self.torch = torch
        env = {}
        if req.get("threads"):
            torch.set_num_threads(int(req["threads"]))
        if req.get("interop_threads"):
            try:
                torch.set_num_interop_threads(int(req["interop_threads"]))
            except RuntimeError as e:
                raise Fail("bad_request", "interop_threads: %s" % e)
        dev = req["device"]
        if dev.startswith("cuda"):
            if not torch.cuda.is_available():
                msg = "torch.cuda.is_available() is False"
                try:
                    torch.cuda.init()
                except Exception as e:
                    msg = str(e)
                raise Fail("unavailable", "CUDA is not available to torch %s: %s" % (torch.__version__, msg))
            idx = torch.device(dev).index or 0
            if idx >= torch.cuda.device_count():
                raise Fail("unavailable", "%s: torch sees %d CUDA device(s)" % (dev, torch.cuda.device_count()))
            torch.cuda.set_device(idx)
            env["gpu"] = torch.cuda.get_device_name(idx)
        if req.get("matmul_precision"):
            torch.set_float32_matmul_precision(req["matmul_precision"])
        if req.get("tf32") is not None and hasattr(torch.backends, "cuda"):
            torch.backends.cuda.matmul.allow_tf32 = bool(req["tf32"])
            torch.backends.cudnn.allow_tf32 = bool(req["tf32"])
        t0 = time.perf_counter()
        self.model = Model(req, env)
        load_s = time.perf_counter() - t0
        env["threads"] = str(torch.get_num_threads())
        env["interop_threads"] = str(torch.get_num_interop_threads())
        env["dtype"] = req["dtype"]
        env["device"] = dev
        env["matmul_precision"] = torch.get_float32_matmul_precision() if hasattr(torch, "get_float32_matmul_precision") else "n/a"
        env["tf32_matmul"] = str(torch.backends.cuda.matmul.allow_tf32).lower()
        env["tf32_cudnn"] = str(torch.backends.cudnn.allow_tf32).lower()
        env["deterministic_algorithms"] = str(torch.are_deterministic_algorithms_enabled()).lower()
        return {"load_s": load_s, "env": env}

    def op_prepare(self, req):
        fault("prepare")
        if self.model is None:
            raise Fail("bad_request", "prepare before load")
        torch = self.torch
        r = Runner(self.model, req)
        out = {}
        if self.model.compile:
            # Compile now, over the runner's own shapes, so that timed calls
            # find compiled graphs; the time is the cell's cold start.
            before = dynamo_counts(torch)
            r.set_inputs([r.eos] * (r.B * r.S), [1] * (r.B * r.S))
            t0 = time.perf_counter()
            with torch.inference_mode():
                r.call()
                r.call()
            out["compile_s"] = time.perf_counter() - t0
            after = dynamo_counts(torch)
            if before and after:
                out["frames_compiled"] = after[0] - before[0]
                out["graph_breaks"] = after[1] - before[1]
                out["graphs"] = after[2]
                out["break_reasons"] = break_reasons(torch)
                if after[2] == 0:
                    out["eager_fallback"] = "torch.compile captured no graph: the model runs eagerly"
        self.runners[req["runner"]] = r
        return out

    def runner(self, req):
        r = self.runners.get(req.get("runner"))
        if r is None:
            raise Fail("bad_request", "no runner %r" % req.get("runner"))
        return r

    def op_run(self, req):
        r = self.runner(req)
        torch = self.torch
        r.set_inputs(req["ids"], req["mask"])
        n, until = max(int(req.get("calls", 1)), 1), float(req.get("min_duration_s", 0))
        fault("run")
        before = dynamo_counts(torch) if self.model.compile else None
        limit = float(req.get("call_timeout_s") or 0)
        calls, timeout = [], None
        began = time.perf_counter()
        try:
            with torch.inference_mode():
                while True:
                    lat, steps = r.call()
                    if limit and lat > limit:
                        timeout = "call %d took %.3f s, over the %.3f s timeout" % (len(calls) + 1, lat, limit)
                        break
                    c = {"latency_s": lat, "steps_s": steps}
                    if r.mode != "prefill":
                        c["generated"] = int(r.count.sum())
                    calls.append(c)
                    if len(calls) >= n and time.perf_counter() - began >= until:
                        break
        except Exception as e:
            if is_oom(torch, e):
                if torch.cuda.is_available():
                    torch.cuda.empty_cache()
                raise Fail("oom", "out of memory: %s" % first_line(e))
            raise
        out = {"calls": calls, "window_s": time.perf_counter() - began}
        if timeout:
            out["timeout"] = timeout
        if r.mode != "prefill":
            toks = r.produced()
            out["tokens"] = toks
            out["generated"] = sum(len(t) for t in toks)
        if before is not None:
            after = dynamo_counts(torch)
            out["frames_compiled"] = after[0] - before[0]
            out["graph_breaks"] = after[1] - before[1]
            if after[0] > before[0]:
                out["degraded"] = "torch.compile compiled %d frame(s) inside the timed window (recompilation)" % (after[0] - before[0])
            elif after[2] == 0:
                out["degraded"] = "torch.compile captured no graph: the calls ran eagerly"
        if req.get("logits_path"):
            x = r.logits.detach().float().contiguous().cpu()
            with open(req["logits_path"], "wb") as f:
                try:
                    f.write(x.numpy().tobytes())
                except Exception:  # torch without numpy
                    import array
                    f.write(array.array("f", x.reshape(-1).tolist()).tobytes())
            out["logits_shape"] = list(x.shape)
        return out

    def op_check(self, req):
        r = self.runner(req)
        if r.logits is None:
            raise Fail("invariant", "no call has run")
        x = r.logits
        bad = ~self.torch.isfinite(x)
        if bool(bad.any()):
            i = int(bad.reshape(-1).nonzero()[0])
            raise Fail("invariant", "logits[%d] = %s" % (i, float(x.reshape(-1)[i])))
        return {}

    def op_usage(self, req):
        import resource
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = me.ru_maxrss * 1024
        try:
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak = int(line.split()[1]) * 1024
        except OSError:
            pass
        gpu = 0
        torch = self.torch
        if self.model is not None and self.model.device.type == "cuda":
            gpu = torch.cuda.max_memory_allocated(self.model.device)
        return {"cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                "peak_rss_bytes": peak, "gpu_memory_bytes": gpu}

    def op_reset_peaks(self, req):
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
        except OSError:
            pass
        if self.model is not None and self.model.device.type == "cuda":
            self.torch.cuda.reset_peak_memory_stats(self.model.device)
        return {}

    def op_release(self, req):
        self.runners.pop(req.get("runner"), None)
        return {}


def is_oom(torch, e):
    oom = getattr(getattr(torch, "cuda", None), "OutOfMemoryError", None)
    return (oom is not None and isinstance(e, oom)) or "out of memory" in str(e)


def first_line(e):
    s = str(e).strip()
    return s.splitlines()[0] if s else type(e).__name__


WATCHDOG = """
import os, signal, sys, time
worker, group = int(sys.argv[1]), os.getpgid(0)
while os.getppid() == worker:
    time.sleep(0.25)
os.killpg(group, signal.SIGKILL)
"""


def start_watchdog():
    """Starts a small process in the worker's process group that SIGKILLs
    the whole group once the worker is gone. tr119 has the kernel kill the
    worker when tr119 dies (Pdeathsig); this takes the worker's own
    children (a hung call's, torch.compile's) with it."""
    if not hasattr(os, "killpg") or os.getpgid(0) != os.getpid():
        return  # not a process-group leader: killing the group would hit tr119
    import subprocess
    dn = subprocess.DEVNULL
    subprocess.Popen([sys.executable, "-c", WATCHDOG, str(os.getpid())], stdin=dn, stdout=dn, stderr=dn, close_fds=True)


def main():
    # The protocol owns the original stdout; everything printed by the
    # worker or its libraries goes to stderr.
    start_watchdog()
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    w = Worker()
    for line in sys.stdin:
        if not line.strip():
            continue
        rid = None
        try:
            req = json.loads(line)
            rid = req.get("id")
            op = req.get("op")
            if op == "exit":
                out.write(json.dumps({"id": rid, "ok": True}) + "\n")
                break
            fn = getattr(w, "op_" + str(op), None)
            if fn is None:
                raise Fail("bad_request", "unknown op %r" % op)
            resp = fn(req)
            resp.update({"id": rid, "ok": True})
        except Fail as e:
            resp = {"id": rid, "ok": False, "kind": e.kind, "error": str(e)}
            resp.update(e.extra)
        except Exception as e:
            kind = "oom" if w.torch is not None and is_oom(w.torch, e) else "error"
            resp = {"id": rid, "ok": False, "kind": kind, "error": "%s: %s" % (type(e).__name__, first_line(e)),
                    "traceback": traceback.format_exc()[-4000:]}
            sys.stderr.write(resp["traceback"])
        out.write(json.dumps(resp) + "\n")
        out.flush()


main()
