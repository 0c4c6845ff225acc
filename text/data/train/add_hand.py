#!/usr/bin/env python3
"""Appends new hand-written messages to text/data/train/hand2.jsonl:

    python3 text/data/train/add_hand.py NEW.tsv...   (one "intent<TAB>text" a line)

Split, a fixed rule: counting the lines of each intent in hand2.jsonl from 1,
the 5th, 10th, 15th… are held out (20 %), the rest train. A line that repeats
a corpus line (hand, hand2 or templates; Dice coefficient of character
bigrams >= 0.8 after NFKC, lower case, no spaces or punctuation) is dropped
before it is counted, so a held-out line is never a copy of a training one.
Never edit or relabel existing lines: append."""
import collections
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "hand2.jsonl")


def bigrams(text):
    t = re.sub(r"[\W_]", "", unicodedata.normalize("NFKC", text).lower())
    if len(t) < 2:
        return collections.Counter([t])
    return collections.Counter(t[i:i + 2] for i in range(len(t) - 1))


def dice(a, b):
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 0.0


def read(name):
    path = os.path.join(HERE, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(paths):
    seen = [bigrams(r["text"]) for n in ("hand.jsonl", "hand2.jsonl", "templates.jsonl")
            for r in read(n)]
    count = collections.Counter(r["intent"] for r in read("hand2.jsonl"))
    rows, dropped = [], 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                intent, text = line.rstrip("\n").split("\t", 1)
                grams = bigrams(text)
                if any(dice(grams, g) >= 0.8 for g in seen):
                    dropped += 1
                    continue
                seen.append(grams)
                count[intent] += 1
                rows.append({"text": text, "intent": intent, "source": "hand",
                             "split": "heldout" if count[intent] % 5 == 0 else "train"})
    with open(OUT, "a", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"added {len(rows)}, dropped {dropped} near-duplicates")


if __name__ == "__main__":
    main(sys.argv[1:])
