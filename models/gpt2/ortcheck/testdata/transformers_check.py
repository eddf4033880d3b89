"""Cross-check tr119's GPT-2 folders with Hugging Face transformers.

  python3 transformers_check.py write DIR   # random GPT-2 (tiny shape) -> DIR + expected.json
  python3 transformers_check.py load DIR REF  # load tr119's folder DIR, compare with REF/expected.json

Used with ortcheck's TestHFCheckpoint (TR119_HF_CHECKPOINT=DIR) on a
machine that has torch and transformers.
"""
import json
import sys

import torch
from transformers import GPT2Config, GPT2LMHeadModel

ROWS = [[464, 2068, 7586, 21831, 18045, 625, 262], [40, 588, 2068]]


def batch():
    seq = max(len(r) for r in ROWS)
    ids = [[50256] * (seq - len(r)) + r for r in ROWS]
    mask = [[0] * (seq - len(r)) + [1] * len(r) for r in ROWS]
    return torch.tensor(ids), torch.tensor(mask)


def logits(model):
    ids, mask = batch()
    pos = (mask.cumsum(-1) - 1).clamp(min=0)
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, position_ids=pos).logits.double()
    return [[out[r, i].tolist() if mask[r, i] else [] for i in range(ids.shape[1])] for r in range(ids.shape[0])], ids, mask


def main():
    mode, d = sys.argv[1], sys.argv[2]
    if mode == "write":
        torch.manual_seed(0)
        cfg = GPT2Config(n_layer=2, n_head=2, n_embd=64, n_positions=256)
        model = GPT2LMHeadModel(cfg).eval()
        with torch.no_grad():  # random biases and LayerNorms too
            for name, p in model.named_parameters():
                p.copy_(torch.randn_like(p) * (0.1 if "ln_" not in name or "bias" in name else 0.1) + (1 if "ln_" in name and "weight" in name else 0))
        model.save_pretrained(d, safe_serialization=True)
        lg, ids, mask = logits(model)
        json.dump({"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "logits": lg}, open(d + "/expected.json", "w"))
        print("wrote", d)
    else:
        model = GPT2LMHeadModel.from_pretrained(d).eval()
        lg, _, _ = logits(model)
        ref = json.load(open(sys.argv[3] + "/expected.json"))["logits"]
        worst = max(abs(a - b) for r1, r2 in zip(lg, ref) for p1, p2 in zip(r1, r2) for a, b in zip(p1, p2))
        print("transformers loaded", d, "max |diff| vs original =", worst)
        assert worst < 1e-5


if __name__ == "__main__":
    main()
