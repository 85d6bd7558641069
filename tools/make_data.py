#!/usr/bin/env python3
"""Regenerate the book's generated data files and print their SHA-256 (compare data/README.md)."""
from pathlib import Path

import rnn_core.data as data

path = Path(__file__).resolve().parent.parent / "data" / data.SENTIMENT_FILE
data.write_sentiment(path)
print(f"{data.SENTIMENT_FILE}: {path.stat().st_size} bytes, sha256 {data.sha256(path)}")
